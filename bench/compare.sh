#!/usr/bin/env bash
# Eddy side by side with kinesalite and kinesis-mock, in one run on this machine.
#
#   bench/compare.sh [seconds]        (default 10 s per workload; about 4 minutes in all)
#
# Installs the peers pinned by bench/peers/package-lock.json (kinesalite, and kinesis-mock's npm build
# "kinesis-local", a Scala.js bundle that runs on Node: no Java needed), builds eddy and eddy-bench
# (scripts/build.sh) unless EDDY_BIN and EDDY_BENCH_BIN name them, then for each server in turn -
# kinesalite, kinesis-mock, eddy --sync=always, eddy --sync=none - starts it on 127.0.0.1 with nothing
# on disk from before, measures the time from its start to the first successful ListStreams and its idle
# RSS, runs the same eddy-bench workloads against it over keep-alive HTTP/1.1 with JSON (the one
# transport every peer speaks), and stops it. Settings match: streams ACTIVE at once
# (kinesalite --createStreamMs 0 ..., kinesis-mock CREATE_STREAM_DURATION=0ms ...), a shard limit that
# the workloads' 13 shards fit in, no persistence for the peers (kinesalite in memory, kinesis-mock
# SHOULD_PERSIST_DATA=false), a fresh RocksDB data dir for eddy.
#
# Workloads (eddy-bench): put-records 500 x 100 B, 8 in flight, 4 shards; put-record one call at a time;
# get-records drain (fill up to 1,000,000 records or for the workload time, then read all 4 shards with
# GetRecords Limit 10000); subscribe (put -> SubscribeToShard event; kinesalite has no fan-out).
#
# Writes bench/results/<date>-<host>.md (the table, the machine, the versions) and .json (every report),
# and prints the table. Requires what scripts/install-deps.sh --test installs (node, npm, python3).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
seconds="${1:-${BENCH_SECONDS:-10}}"
fill_max=1000000

if [[ -z "${EDDY_BIN:-}" || -z "${EDDY_BENCH_BIN:-}" ]]; then
  scripts/build.sh >/dev/null
fi
eddy_bin="${EDDY_BIN:-$repo/build/bin/eddy}"
bench_bin="${EDDY_BENCH_BIN:-$(dirname "$eddy_bin")/eddy-bench}"
[[ -x "$eddy_bin" && -x "$bench_bin" ]] || { echo "compare: $eddy_bin or $bench_bin missing" >&2; exit 1; }

peers="$repo/bench/peers"
if [[ ! -d $peers/node_modules ]] || [[ $peers/package-lock.json -nt $peers/node_modules/.package-lock.json ]]; then
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error)
fi

stamp="$(date -u +%Y-%m-%d)"
host="$(hostname -s 2>/dev/null || echo host)"
work="$(mktemp -d)"
raw="$work/raw"
mkdir -p "$raw"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server NAME: starts it in the background on $port, sets server_pid.
start_server() {
  local name=$1 data="$work/data-$1"
  mkdir -p "$data"
  case $name in
    kinesalite)
      node -r "$peers/loopback.js" "$peers/node_modules/kinesalite/cli.js" --port "$port" \
        --createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 --shardLimit 1000 \
        >"$work/$name.log" 2>&1 &
      ;;
    kinesis-mock)
      (cd "$data" && exec env KINESIS_MOCK_PLAIN_PORT="$port" KINESIS_MOCK_TLS_PORT="$(free_port)" \
        KINESIS_MOCK_CERT_PATH="$peers/node_modules/kinesis-local/server.json" \
        CREATE_STREAM_DURATION=0ms DELETE_STREAM_DURATION=0ms REGISTER_STREAM_CONSUMER_DURATION=0ms \
        DEREGISTER_STREAM_CONSUMER_DURATION=0ms UPDATE_SHARD_COUNT_DURATION=0ms SHARD_LIMIT=1000 \
        SHOULD_PERSIST_DATA=false LOAD_DATA_IF_EXISTS=false LOG_LEVEL=WARN \
        node -r "$peers/loopback.js" "$peers/node_modules/kinesis-local/main.js") >"$work/$name.log" 2>&1 &
      ;;
    eddy-always|eddy-none)
      "$eddy_bin" --host 127.0.0.1 --port "$port" --data-dir "$data/db" --sync "${name#eddy-}" --log-level warn \
        >"$work/$name.log" 2>&1 &
      ;;
  esac
  server_pid=$!
}

stop_server() {  # SIGTERM, and SIGKILL after 10 s (kinesis-mock can take seconds to react to SIGTERM)
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

bench() {  # bench NAME WORKLOAD ARGS...
  local name=$1 workload=$2
  shift 2
  echo "compare: $name $workload" >&2
  "$bench_bin" "$workload" --endpoint "http://127.0.0.1:$port" --server-pid "$server_pid" --quiet \
    --json "$raw/$name-$workload.json" --label "$name" "$@" >"$raw/$name-$workload.txt" 2>&1 || true
}

for name in kinesalite kinesis-mock eddy-always eddy-none; do
  port="$(free_port)"
  started_ns="$(date +%s%N)"
  start_server "$name"
  "$bench_bin" ready --endpoint "http://127.0.0.1:$port" --since-ns "$started_ns" --duration 120 --quiet \
    --json "$raw/$name-ready.json" >/dev/null || { echo "compare: $name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
  sleep 1  # idle RSS once start-up work (JIT, compaction, GC) has settled
  awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" >"$raw/$name-idle-rss-kib"
  bench "$name" put-records --shards 4 --batch 500 --payload 100 --inflight 8 --duration "$seconds"
  bench "$name" put-record --shards 4 --payload 100 --inflight 1 --duration "$seconds"
  bench "$name" get-records --shards 4 --batch 500 --payload 100 --inflight 8 --count "$fill_max" --duration "$seconds"
  if [[ $name != kinesalite ]]; then
    bench "$name" subscribe --payload 100 --duration "$seconds"
  fi
  awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status" >"$raw/$name-peak-rss-kib"
  stop_server
done

mkdir -p bench/results
python3 bench/compare_report.py "$raw" "bench/results/$stamp-$host" --seconds "$seconds" --fill "$fill_max" \
  --eddy-bin "$eddy_bin" --peers "$peers"
echo "compare: wrote bench/results/$stamp-$host.md and .json" >&2
