#!/usr/bin/env bash
# Times the outcome explorer of the wasm build (crates/bench/wasm) in real browsers, headless
# Chromium and headless Firefox driven over WebDriver: schedules per second for the lost update
# (bound 3, reduction on), and the time to explore every schedule of each seed scenario (the
# target: each one in under 1 s). Prints a table per browser.
#
#   scripts/bench-browser.sh [--quick] [--browser chromium|firefox|all]
#
# --quick      fewer repetitions
# --browser    the browser to run in; all (the default) runs Chromium, then Firefox
#
# Needs node (18 or later), the wasm32-unknown-unknown Rust target, wasm-bindgen-cli at the
# version Cargo.lock pins, /usr/bin/chromium with /usr/bin/chromedriver, and firefox-esr with
# geckodriver (scripts/setup.sh installs all but node). The page (crates/bench/wasm/browser/)
# is served on a free port of 127.0.0.1 while it runs. Results, as JSON, go to
# $CARGO_TARGET_DIR/bench/browser-<browser>.json (target/bench/ by default).
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SELF="$ROOT/scripts/$(basename "${BASH_SOURCE[0]}")"
OUT_DIR="$TARGET_DIR/bench"
PKG_DIR="$OUT_DIR/web"

drive_args=()
browser=all
while [ "$#" -gt 0 ]; do
    case "$1" in
        --quick) drive_args+=(--quick) ;;
        --browser)
            [ "$#" -ge 2 ] || die "--browser needs a value: chromium, firefox or all"
            browser="$2"
            shift
            ;;
        --browser=*) browser="${1#--browser=}" ;;
        -h | --help)
            awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SELF"
            exit 0
            ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
case "$browser" in
    chromium | firefox) browsers=("$browser") ;;
    all) browsers=(chromium firefox) ;;
    *) die "--browser must be chromium, firefox or all (got $browser)" ;;
esac

step "checking tools"
command -v node >/dev/null || die "node not found (Node 18 or later is needed, for its built-in fetch)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
    die "node $(node --version) is too old: Node 18 or later is needed, for its built-in fetch"
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    die "the wasm32-unknown-unknown target is missing; run scripts/setup.sh (or rustup target add wasm32-unknown-unknown)"
require_locked_wasm_bindgen
printf '    node %s, wasm-bindgen %s, %s\n' "$(node --version)" "$WASM_BINDGEN_VERSION" "$(rustc --version)"
for b in "${browsers[@]}"; do
    case "$b" in
        chromium)
            [ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found; run scripts/setup.sh (Debian's chromium)"
            [ -x /usr/bin/chromedriver ] ||
                die "/usr/bin/chromedriver not found; run scripts/setup.sh (Debian's chromium-driver)"
            printf '    %s, %s\n' "$(/usr/bin/chromium --version 2>/dev/null)" \
                "$(/usr/bin/chromedriver --version | awk '{ print $1, $2 }')"
            ;;
        firefox)
            command -v firefox-esr >/dev/null || die "firefox-esr not found; run scripts/setup.sh (Debian's firefox-esr)"
            command -v geckodriver >/dev/null || die "geckodriver not found; run scripts/setup.sh"
            printf '    %s, %s\n' "$(firefox-esr --version 2>/dev/null)" "$(geckodriver --version | head -n 1)"
            ;;
    esac
done

step "cargo build --release --target wasm32-unknown-unknown -p threadline-bench-wasm"
cargo build --release --target wasm32-unknown-unknown -p threadline-bench-wasm

step "wasm-bindgen --target web"
mkdir -p "$OUT_DIR"
rm -rf "$PKG_DIR"
wasm-bindgen --target web --no-typescript --out-dir "$PKG_DIR" \
    "$TARGET_DIR/wasm32-unknown-unknown/release/threadline_bench_wasm.wasm"
printf '    %s: %d bytes\n' threadline_bench_wasm_bg.wasm "$(stat -c %s "$PKG_DIR/threadline_bench_wasm_bg.wasm")"

# drive.js runs in the background so that an interrupt reaches this script, which passes it
# on as SIGTERM: drive.js then closes the browser session and stops its WebDriver and HTTP
# servers itself.
drive_pid=""
stop_drive() {
    if [ -n "$drive_pid" ]; then
        kill -TERM "$drive_pid" 2>/dev/null || true
        wait "$drive_pid" 2>/dev/null || true
        drive_pid=""
    fi
}
trap stop_drive EXIT
trap 'stop_drive; exit 130' INT
trap 'stop_drive; exit 143' TERM

failed=()
for b in "${browsers[@]}"; do
    step "headless $b: explorer benchmark page"
    node crates/bench/wasm/browser/drive.js --browser "$b" --pkg "$PKG_DIR" \
        --json-out "$OUT_DIR/browser-$b.json" "${drive_args[@]}" &
    drive_pid=$!
    status=0
    wait "$drive_pid" || status=$?
    drive_pid=""
    # 130 and 143: interrupted (SIGINT, SIGTERM); stop there.
    case "$status" in
        0) ;;
        130 | 143) exit "$status" ;;
        *) failed+=("$b") ;;
    esac
done

[ "${#failed[@]}" -eq 0 ] || die "the benchmark failed in: ${failed[*]} (see above)"
results=()
for b in "${browsers[@]}"; do
    results+=("$OUT_DIR/browser-$b.json")
done
step "done: results in ${results[*]}"
