# Shared by the scripts in this folder: `source "$(dirname "$0")/common.sh"`.
# Moves to the repository root and defines small helpers.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
export PATH="$HOME/.cargo/bin:$PATH"

# Where cargo puts build output (respects CARGO_TARGET_DIR).
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The built site (gitignored).
DIST_DIR="$ROOT/dist"
# Local tools (wasm-opt from npm); gitignored.
TOOLS_DIR="$ROOT/.tools"
WASM_OPT="$TOOLS_DIR/node_modules/.bin/wasm-opt"
# The accessibility check's npm packages (scripts/a11y.sh), in .tools/ too.
AXE_CORE_VERSION=4.14.1
PLAYWRIGHT_CORE_VERSION=1.65.2

step() {
    printf '\n==> [%ds] %s\n' "$SECONDS" "$*"
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

note() {
    printf '    %s\n' "$*"
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
locked_wasm_bindgen_version() {
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Stops unless the wasm-bindgen CLI on PATH is the version Cargo.lock pins; prints it.
require_locked_wasm_bindgen() {
    local want have
    want="$(locked_wasm_bindgen_version)"
    have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
    [ -n "$want" ] || die "no wasm-bindgen entry in Cargo.lock"
    [ "$have" = "$want" ] || die "wasm-bindgen $want needed (found: ${have:-none}); run scripts/setup.sh"
    WASM_BINDGEN_VERSION="$have"
}
