#!/usr/bin/env bash
# Connection and memory load against a release eddy (bench/load/load.mjs does the work):
#
#   bench/load/run.sh idle   [load.mjs options]   # 10,000 idle connections held (--connections, --hold)
#   bench/load/run.sh active [load.mjs options]   # 1,000 keep-alive clients doing PutRecord + GetRecords
#   bench/load/run.sh churn  [load.mjs options]   # JS SDK v3, a new client and h2c connection per call,
#                                                 # 10 minutes (--duration 600) with flat RSS and fds
#
# EDDY_BIN picks the binary (default build/bin/eddy, from scripts/build.sh); it is copied to a private
# directory first, so a rebuild during a long run does not change it. eddy runs on a fresh RocksDB data
# dir with its defaults (--sync=always, --max-connections 10000); EDDY_LOAD_ARGS adds flags. The report
# (JSON) goes to stdout and to bench/load/results/MODE-DATE.json; eddy's log to the same name .log.
# Exit status: load.mjs's (1 when a check failed), or 1 when eddy did not exit 0 on SIGTERM.
# Needs the JS SDK of tests/e2e/js (scripts/install-deps.sh --test) for churn.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:?usage: bench/load/run.sh idle|active|churn [options]}"
shift
# Both ends of 10,000 connections, plus eddy's own descriptors, in one process tree.
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < 10000 + 1024 )); then
  echo "bench/load/run.sh: ulimit -n is $(ulimit -n); the idle run needs about 11,000" >&2
fi
work="$(mktemp -d /tmp/eddy-load.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp "${EDDY_BIN:-build/bin/eddy}" "$work/eddy"
mkdir -p bench/load/results
stamp="$mode-$(date -u +%Y%m%dT%H%M%SZ)"
log="bench/load/results/$stamp.log"
# shellcheck disable=SC2086
"$work/eddy" --port 0 --data-dir "$work/data" --log-level warn ${EDDY_LOAD_ARGS:-} > "$work/out" 2> "$log" &
eddy=$!
until [[ -s "$work/out" ]]; do
  kill -0 "$eddy" 2>/dev/null || { echo "eddy did not start:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.05
done
endpoint="$(sed -E 's/^eddy listening on //' "$work/out")"
rc=0
node bench/load/load.mjs "$mode" --endpoint "$endpoint" --pid "$eddy" --json "bench/load/results/$stamp.json" "$@" || rc=$?
kill -TERM "$eddy"
if ! wait "$eddy"; then echo "eddy did not exit 0 on SIGTERM" >&2; rc=1; fi
echo "report: bench/load/results/$stamp.json, eddy log: $log (warnings: $(grep -c . "$log" || true) lines)" >&2
exit $rc
