#!/usr/bin/env bash
# Installs what is missing, builds the web app, and serves it on
# http://127.0.0.1:8080 (PORT=... to change). Ctrl-C stops the server.
set -euo pipefail
source "$(dirname "$0")/common.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-web.sh"

port="${PORT:-8080}"
step "serving dist/ on http://127.0.0.1:$port/ (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 --directory "$DIST_DIR" "$port"
