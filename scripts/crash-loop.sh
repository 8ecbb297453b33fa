#!/usr/bin/env bash
# Crash loop: CYCLES (default 20) rounds of concurrent PutRecords load -> kill -9 -> [power loss] -> restart ->
# verify, on one data directory (tests/e2e/python/test_crash.py, standalone). Each round checks that every
# acknowledged record is there exactly once and in order, and that both streams (after a SplitShard and an
# UpdateShardCount) and the stream consumers survive. Prints a summary; exits non-zero on the first problem,
# keeping the data directory and naming the seed.
#
#   scripts/crash-loop.sh [CYCLES] [--power-loss] [--sync always|none] [--seed N] [--threads N]
#
# --power-loss also truncates the newest RocksDB WAL after each kill at a random byte that no acknowledgement
# vouched for: with --sync=always (the default) nothing acknowledged may be lost; with --sync=none only a
# clean prefix is promised. Uses build/bin/eddy unless EDDY_BIN is set; builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=20
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  cycles=$1
  shift
fi
export EDDY_BIN="${EDDY_BIN:-$PWD/build/bin/eddy}"
echo "crash loop: $cycles cycles, eddy $EDDY_BIN, args: ${*:-(none)}"
start=$(date +%s)
status=0
python3 tests/e2e/python/test_crash.py --cycles "$cycles" "$@" || status=$?
echo "wall time: $(( $(date +%s) - start )) s; command: scripts/crash-loop.sh $cycles${*:+ $*}"
exit $status
