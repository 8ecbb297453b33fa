#!/usr/bin/env bash
# The durability check at length: 20 cycles (or $1) of concurrent PutRecords -> kill -9 -> restart ->
# verify every acknowledged record is present exactly once and in order. CI runs 5 cycles per mode
# through pytest; this is the long version. Usage: bench/crash-loop.sh [cycles] [always|none]
set -euo pipefail
cd "$(dirname "$0")/.."
export EDDY_BIN="${EDDY_BIN:-$PWD/build/bin/eddy}"
exec python3 tests/e2e/python/test_crash.py --cycles "${1:-20}" --sync "${2:-always}"
