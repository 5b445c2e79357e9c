#!/usr/bin/env bash
# Every check the project has, in order; stops at the first failure.
# Installs what is missing first (scripts/setup.sh), so it runs on a fresh
# Debian 12 machine. `.ci/run` runs exactly this.
set -euo pipefail
source "$(dirname "$0")/common.sh"

"$ROOT/scripts/setup.sh"

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy on the browser tests (wasm32): threadline-app only"
cargo clippy --target wasm32-unknown-unknown -p threadline-app --all-targets --no-deps -- -D warnings

step "cargo test --workspace (native)"
cargo test --workspace

step "browser tests in headless Chromium"
env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --target wasm32-unknown-unknown -p threadline-app

step "browser tests in headless Firefox"
geckodriver_path="$(command -v geckodriver)" || die "geckodriver missing; run scripts/setup.sh"
env -u CHROMEDRIVER -u SAFARIDRIVER GECKODRIVER="$geckodriver_path" \
    cargo test --target wasm32-unknown-unknown -p threadline-app

step "a short fuzzing run of parse + check + simulate (cargo-fuzz)"
"$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"

# ---------------------------------------------------------------------------
# More test steps go here (e.g. an engine fuzz smoke run), each as
#   step "what it checks"
#   <command>
# ---------------------------------------------------------------------------

step "end to end: build dist/, serve it, load it in headless Chromium"
"$ROOT/scripts/build-web.sh"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$DIST_DIR" "$port" >"$work/server.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port/"
for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$url" 2>/dev/null; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || die "the HTTP server did not start: $(cat "$work/server.log")"
    sleep 0.1
done
curl -fsS -o /dev/null "$url" || die "nothing answers on $url"
note "serving dist/ on $url (pid $server_pid)"

# --virtual-time-budget lets the page fetch and start the wasm before the DOM is dumped.
timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --virtual-time-budget=15000 --dump-dom "$url" \
    >"$work/dom.html" 2>"$work/chromium.log" ||
    die "chromium failed: $(tail -n 20 "$work/chromium.log")"

python3 - "$work/dom.html" "$ROOT/scenarios" <<'PY'
import html
import json
import pathlib
import sys

dom = pathlib.Path(sys.argv[1]).read_text()
wanted = {"app title": '<h1 data-testid="app-title">Threadline</h1>'}
for meta in sorted(pathlib.Path(sys.argv[2]).glob("*/*.json")):
    if ".cpython-" in meta.name or not meta.with_suffix(".py").exists():
        continue
    title = json.loads(meta.read_text()).get("title")
    if title:
        wanted[f"scenario {meta.stem}"] = html.escape(title, quote=False)
for marker in ("terminal-prompt", "timeline-svg", "scenario-picker"):
    wanted[marker] = f'data-testid="{marker}"'
missing = [name for name, text in wanted.items() if text not in dom]
if missing:
    print(dom[:3000])
    sys.exit(f"the rendered page lacks: {', '.join(missing)}")
print(f"    the rendered page shows all {len(wanted)} expected items")
PY

step "accessibility: axe-core on the main page, a mid-run Ctrl-C, My script, the explorer, the embed (light and dark)"
"$ROOT/scripts/a11y.sh" "$url"

step "all checks passed"
