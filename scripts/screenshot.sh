#!/usr/bin/env bash
# Screenshots the built page (dist/, from scripts/build-web.sh) in headless
# Chromium, as a user would see it.
#
#   scripts/screenshot.sh OUT.png [WIDTHxHEIGHT] [URL-SUFFIX]
#
# e.g. scripts/screenshot.sh /tmp/phone.png 360x800 '#daemon-join'
# Serves dist/ on a free port of 127.0.0.1 for the duration.
set -euo pipefail
source "$(dirname "$0")/common.sh"

out="${1:?usage: scripts/screenshot.sh OUT.png [WIDTHxHEIGHT] [URL-SUFFIX]}"
size="${2:-1280x900}"
suffix="${3:-}"
[ -f "$DIST_DIR/index.html" ] || die "no $DIST_DIR/index.html: run scripts/build-web.sh [--dev] first"

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$DIST_DIR" "$port" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.1
done

timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" --virtual-time-budget=15000 \
    --window-size="${size/x/,}" --screenshot="$out" "http://127.0.0.1:$port/$suffix" \
    >"$work/chromium.log" 2>&1 || die "chromium failed: $(tail -n 20 "$work/chromium.log")"
note "wrote $out ($size, /$suffix)"
