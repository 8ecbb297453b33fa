#!/usr/bin/env bash
# Quick start: install what is missing, build, and run eddy on http://127.0.0.1:4567 with its data in
# ./data. Extra arguments go to eddy (see build/bin/eddy --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/eddy --host "${EDDY_HOST:-127.0.0.1}" --port "${EDDY_PORT:-4567}" --data-dir "${EDDY_DATA_DIR:-./data}" "$@"
