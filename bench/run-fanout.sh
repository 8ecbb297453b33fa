#!/usr/bin/env bash
# Put -> SubscribeToShard event latency through the JS SDK (bench/e2e/fanout_latency.mjs) against eddy with
# RocksDB and --sync=none, then --sync=always, each with a raw keep-alive producer and an SDK one. One JSON
# line per run. Usage: bench/run-fanout.sh [records]
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-2000}"
for sync in none always; do
  dir="$(mktemp -d)"
  build/bin/eddy --port 0 --data-dir "$dir" --sync "$sync" --log-level warn > "$dir/out" &
  pid=$!
  until [[ -s "$dir/out" ]]; do sleep 0.05; done
  endpoint="$(sed -E 's/^eddy listening on //' "$dir/out")"
  for producer in raw sdk; do
    printf '{"sync":"%s","result":' "$sync"
    node bench/e2e/fanout_latency.mjs --endpoint "$endpoint" --records "$records" --producer "$producer" 2>/dev/null | tr -d '\n'
    printf '}\n'
  done
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$dir"
done
