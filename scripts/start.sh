#!/usr/bin/env bash
# Quick start: install what is missing, build, and run eddy on http://127.0.0.1:4567 with its data in
# ./data. Extra arguments go to eddy (see build/bin/eddy --help).
# With EDDY_BIN=PATH it runs that binary as it is and installs and builds nothing (the container image).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${EDDY_BIN:-}" ]]; then
  scripts/install-deps.sh
  scripts/build.sh
fi
exec "${EDDY_BIN:-build/bin/eddy}" --host "${EDDY_HOST:-127.0.0.1}" --port "${EDDY_PORT:-4567}" --data-dir "${EDDY_DATA_DIR:-./data}" "$@"
