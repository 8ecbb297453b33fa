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
# No flags of its own: eddy's defaults are 127.0.0.1:4567 and ./data, and it reads EDDY_* variables and an
# EDDY_CONFIG file itself, which flags here would override.
exec "${EDDY_BIN:-build/bin/eddy}" "$@"
