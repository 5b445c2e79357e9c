#!/usr/bin/env bash
# Installs what building and testing Threadline needs, skipping whatever is
# already there: Debian's Chromium, ChromeDriver and Firefox ESR, the wasm32
# Rust target, rustfmt and clippy, wasm-bindgen-cli (the exact version in
# Cargo.lock), geckodriver, wasm-opt (npm's binaryen) in .tools/, and
# axe-core with playwright-core (the accessibility check) in .tools/.
set -euo pipefail
source "$(dirname "$0")/common.sh"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

step "Debian packages: chromium chromium-driver firefox-esr"
missing=()
for pkg in chromium chromium-driver firefox-esr; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    note "installing: ${missing[*]}"
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
    note "already installed"
fi

step "Rust: wasm32-unknown-unknown target, rustfmt, clippy"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    note "wasm32-unknown-unknown already installed"
else
    rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
for component in rustfmt clippy; do
    if grep -q "^$component" <<<"$installed_components"; then
        note "$component already installed"
    else
        rustup component add "$component"
    fi
done

step "wasm-bindgen-cli (must equal the wasm-bindgen crate in Cargo.lock)"
want="$(locked_wasm_bindgen_version)"
if [ -z "$want" ]; then
    echo "error: no wasm-bindgen entry in Cargo.lock" >&2
    exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [ "$have" = "$want" ]; then
    note "wasm-bindgen $have already installed"
else
    note "installing wasm-bindgen-cli $want (found: ${have:-none})"
    # Without --locked: the CLI's own lockfile pins a crate the registry lacks.
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$want"
fi

step "geckodriver (for the Firefox browser tests)"
if command -v geckodriver >/dev/null; then
    note "$(geckodriver --version | head -n 1) already installed"
else
    env -u CARGO_TARGET_DIR cargo install geckodriver --locked
fi

step "wasm-opt from npm's binaryen@132.0.0 into .tools/"
if [ -x "$WASM_OPT" ] && "$WASM_OPT" --version | grep -q "version 132"; then
    note "$("$WASM_OPT" --version) already installed"
else
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error binaryen@132.0.0
    "$WASM_OPT" --version
fi

step "axe-core@$AXE_CORE_VERSION and playwright-core@$PLAYWRIGHT_CORE_VERSION from npm into .tools/"
installed_version() {
    node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch (e) {}' \
        "$TOOLS_DIR/node_modules/$1/package.json" 2>/dev/null || true
}
if [ "$(installed_version axe-core)" = "$AXE_CORE_VERSION" ] &&
    [ "$(installed_version playwright-core)" = "$PLAYWRIGHT_CORE_VERSION" ]; then
    note "already installed"
else
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE_CORE_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi

step "setup done"
