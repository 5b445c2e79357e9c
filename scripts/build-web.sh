#!/usr/bin/env bash
# Builds the web app into dist/: a release wasm32 build of threadline-app,
# wasm-bindgen (--target web), wasm-opt -Oz, then index.html and static/.
# Needs the tools scripts/setup.sh installs.
#
#   scripts/build-web.sh [--dev]
#
# --dev  a debug build without wasm-opt: larger and slower, but built in a
#        fraction of the time (for looking at the page while changing it).
set -euo pipefail
source "$(dirname "$0")/common.sh"

profile=release
case "${1:-}" in
    --dev) profile=debug ;;
    "") ;;
    *) die "usage: scripts/build-web.sh [--dev]" ;;
esac

want="$(locked_wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
[ "$have" = "$want" ] || die "wasm-bindgen $want needed (found: ${have:-none}); run scripts/setup.sh"
[ "$profile" = debug ] || [ -x "$WASM_OPT" ] || die "$WASM_OPT missing; run scripts/setup.sh"

if [ "$profile" = release ]; then
    step "cargo build --release --target wasm32-unknown-unknown -p threadline-app"
    cargo build --release --target wasm32-unknown-unknown -p threadline-app
else
    step "cargo build --target wasm32-unknown-unknown -p threadline-app"
    cargo build --target wasm32-unknown-unknown -p threadline-app
fi
wasm="$TARGET_DIR/wasm32-unknown-unknown/$profile/threadline-app.wasm"

step "wasm-bindgen --target web into dist/"
rm -rf "$DIST_DIR"
mkdir -p "$DIST_DIR"
wasm-bindgen --target web --no-typescript --out-dir "$DIST_DIR" --out-name threadline_app "$wasm"

bindgen_wasm="$DIST_DIR/threadline_app_bg.wasm"
bindgen_size="$(stat -c %s "$bindgen_wasm")"
if [ "$profile" = release ]; then
    step "wasm-opt -Oz"
    # wasm-opt takes a minute or more on 2 cores: keep its output, keyed by its input.
    cache_dir="$TARGET_DIR/wasm-opt-cache"
    key="$(cat "$bindgen_wasm" <("$WASM_OPT" --version) | sha256sum | cut -c1-32)"
    if [ -f "$cache_dir/$key.wasm" ]; then
        note "unchanged input: reusing $cache_dir/$key.wasm"
        cp "$cache_dir/$key.wasm" "$bindgen_wasm"
    else
        "$WASM_OPT" -Oz "$bindgen_wasm" -o "$bindgen_wasm.opt"
        mv "$bindgen_wasm.opt" "$bindgen_wasm"
        rm -rf "$cache_dir"
        mkdir -p "$cache_dir"
        cp "$bindgen_wasm" "$cache_dir/$key.wasm"
    fi
fi

step "index.html and static/ into dist/"
cp index.html "$DIST_DIR/"
cp -r static "$DIST_DIR/"

step "sizes"
size_line() {
    printf '    %-24s %8d bytes raw, %8d bytes gzipped\n' \
        "$1" "$(stat -c %s "$2")" "$(gzip -9 -c "$2" | wc -c)"
}
note "threadline_app_bg.wasm before wasm-opt: $bindgen_size bytes"
size_line threadline_app_bg.wasm "$DIST_DIR/threadline_app_bg.wasm"
size_line threadline_app.js "$DIST_DIR/threadline_app.js"
size_line static/style.css "$DIST_DIR/static/style.css"
note "built $DIST_DIR"
