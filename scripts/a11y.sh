#!/usr/bin/env bash
# Runs axe-core on the built page (dist/, from scripts/build-web.sh) in
# headless Chromium: the main page (automatic, light and dark themes), a
# Ctrl-C scenario mid-run, My script, the explorer with its outcomes, the
# unfolded header and key, and the embedded player in light and dark.
# Fails on any violation. Needs node and what scripts/setup.sh installs into
# .tools/ (axe-core and playwright-core from npm).
#
#   scripts/a11y.sh [BASE_URL]
#
# Without BASE_URL, serves dist/ on a free port of 127.0.0.1 for the duration.
set -euo pipefail
source "$(dirname "$0")/common.sh"

[ -d "$TOOLS_DIR/node_modules/axe-core" ] && [ -d "$TOOLS_DIR/node_modules/playwright-core" ] ||
    die "axe-core or playwright-core missing in $TOOLS_DIR; run scripts/setup.sh"
command -v node >/dev/null || die "node not found"

url="${1:-}"
if [ -z "$url" ]; then
    [ -f "$DIST_DIR/index.html" ] || die "no $DIST_DIR/index.html: run scripts/build-web.sh first"
    work="$(mktemp -d)"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    python3 -m http.server --bind 127.0.0.1 --directory "$DIST_DIR" "$port" >"$work/server.log" 2>&1 &
    server_pid=$!
    trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
    url="http://127.0.0.1:$port/"
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null "$url" 2>/dev/null && break
        sleep 0.1
    done
fi
node "$ROOT/tools/a11y.mjs" "$url" "$TOOLS_DIR"
