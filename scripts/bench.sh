#!/usr/bin/env bash
# Benchmarks the engine natively (crates/bench: threadline-bench, release build) and as
# wasm in Node (crates/bench/wasm), then prints native vs wasm times for the CPU loop and
# for every bundled scenario, with their ratio.
#
#   scripts/bench.sh [--quick] [--no-cpython]
#
# --quick       fewer repetitions
# --no-cpython  skip timing the CPU loop under CPython 3.13
#
# Needs node, the wasm32-unknown-unknown Rust target and wasm-bindgen-cli at the version
# Cargo.lock pins (scripts/setup.sh installs the last two). Results, as JSON, go to
# $CARGO_TARGET_DIR/bench/ (target/bench/ by default).
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
OUT_DIR="$TARGET_DIR/bench"

native_args=()
node_args=()
for arg in "$@"; do
    case "$arg" in
        --quick)
            native_args+=(--quick)
            node_args+=(--quick)
            ;;
        --no-cpython) native_args+=(--no-cpython) ;;
        -h | --help)
            sed -n '2,13p' "$ROOT/scripts/bench.sh" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown argument $arg (see --help)" ;;
    esac
done

step "checking tools"
command -v node >/dev/null || die "node not found"
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    die "the wasm32-unknown-unknown target is missing; run scripts/setup.sh (or rustup target add wasm32-unknown-unknown)"
require_locked_wasm_bindgen
printf '    node %s, wasm-bindgen %s, %s\n' "$(node --version)" "$WASM_BINDGEN_VERSION" "$(rustc --version)"

step "cargo build --release -p threadline-bench"
cargo build --release -p threadline-bench

step "cargo build --release --target wasm32-unknown-unknown -p threadline-bench-wasm"
cargo build --release --target wasm32-unknown-unknown -p threadline-bench-wasm

step "wasm-bindgen --target nodejs"
mkdir -p "$OUT_DIR"
rm -rf "$OUT_DIR/wasm"
wasm-bindgen --target nodejs --no-typescript --out-dir "$OUT_DIR/wasm" \
    "$TARGET_DIR/wasm32-unknown-unknown/release/threadline_bench_wasm.wasm"
printf '    %s: %d bytes\n' threadline_bench_wasm_bg.wasm "$(stat -c %s "$OUT_DIR/wasm/threadline_bench_wasm_bg.wasm")"

step "native bench"
"$TARGET_DIR/release/threadline-bench" "${native_args[@]}" --json-out "$OUT_DIR/native.json"

step "wasm bench (Node) vs native"
node crates/bench/wasm/bench.js --pkg "$OUT_DIR/wasm" --native "$OUT_DIR/native.json" \
    --json-out "$OUT_DIR/wasm.json" "${node_args[@]}"

step "done: results in $OUT_DIR/native.json and $OUT_DIR/wasm.json"
