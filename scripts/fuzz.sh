#!/usr/bin/env bash
# Fuzzes the engine with cargo-fuzz (libFuzzer) and prints how many inputs ran.
#
#   scripts/fuzz.sh [SECONDS]        # default 60
#
# Environment:
#   FUZZ_TARGET     run_script (default: arbitrary bytes as a script),
#                   run_tokens (bytes choose Python statements), or all (time split in two)
#   FUZZ_SEED       libFuzzer seed (default 1: a CI run explores the same inputs each time)
#   FUZZ_SANITIZER  none (default; the engine has no unsafe code) or address
#   CARGO_TARGET_DIR  where to build (default fuzz/target, gitignored)
#
# Installs cargo-fuzz if it is missing. Only a stable toolchain is needed:
# RUSTC_BOOTSTRAP=1 lets it accept the -Z flags cargo-fuzz passes.
# The seed corpus is every scenario and language case, copied into
# fuzz/corpus/<target>/ (gitignored) on each run; crashes land in
# fuzz/artifacts/<target>/ and the script exits non-zero.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/fuzz/target}"

seconds="${1:-60}"
case "$seconds" in
    '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
sanitizer="${FUZZ_SANITIZER:-none}"
case "${FUZZ_TARGET:-run_script}" in
    run_script | run_tokens) targets=("${FUZZ_TARGET:-run_script}") ;;
    all) targets=(run_script run_tokens) ;;
    *) echo "FUZZ_TARGET must be run_script, run_tokens or all" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

cd "$ROOT/fuzz"
echo "==> building ${targets[*]} (sanitizer: $sanitizer)"
for target in "${targets[@]}"; do
    cargo fuzz build -O -s "$sanitizer" "$target"
done

# Each target gets its share of the time.
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
total=0
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    if [ "$target" = run_script ]; then
        # Seeds: every script the project has, named after its path.
        while IFS= read -r -d '' f; do
            rel="${f#"$ROOT"/}"
            cp "$f" "$corpus/seed-${rel//\//_}"
        done < <(find "$ROOT/scenarios" "$ROOT/crates/engine/tests/cases" -name '*.py' -print0)
    fi
    if [ "$target" = run_script ]; then
        # Python tokens help mutations of real scripts.
        extra=(-dict=dict/python.dict)
    else
        # Bytes are choices, not text: start at full length instead of growing from 4 bytes.
        extra=(-max_len=1024 -len_control=0)
    fi
    log="$(mktemp)"
    echo "==> fuzzing $target for $share s"
    # Progress: libFuzzer's periodic status lines; everything goes to the log.
    set +e
    cargo fuzz run -O -s "$sanitizer" "$target" "$corpus" -- \
        -max_total_time="$share" -seed="${FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" 2>&1 |
        tee "$log" | grep --line-buffered -E '^#[0-9]+.*(pulse|DONE)'
    status="${PIPESTATUS[0]}"
    set -e
    runs="$(awk '/stat::number_of_executed_units:/ { print $2 }' "$log" | tail -n 1)"
    rate="$(awk '/stat::average_exec_per_sec:/ { print $2 }' "$log" | tail -n 1)"
    if [ "$status" -ne 0 ]; then
        grep -E 'panicked at|^[a-z].*(failed|Error)|Failing input|artifacts/' "$log" | head -n 20 >&2 || true
        echo "==> $target FAILED after ${runs:-?} executions; full log: $log" >&2
        exit 1
    fi
    rm -f "$log"
    echo "==> $target: ${runs:-0} executions in $share s (${rate:-0}/s), corpus $(find "$corpus" -type f | wc -l) files"
    total=$(( total + ${runs:-0} ))
done
echo "==> total executions: $total"
