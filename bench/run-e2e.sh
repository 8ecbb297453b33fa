#!/usr/bin/env bash
# Runs the JS SDK load against eddy with --sync=always and --sync=none (fresh data dir each) and prints
# one JSON line per mode. Usage: bench/run-e2e.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
for sync in always none; do
  dir="$(mktemp -d)"
  build/bin/eddy --port 0 --data-dir "$dir" --sync "$sync" --log-level warn > "$dir/out" &
  pid=$!
  until [[ -s "$dir/out" ]]; do sleep 0.05; done
  endpoint="$(sed -E 's/^eddy listening on //' "$dir/out")"
  printf '{"sync":"%s","result":' "$sync"
  node bench/e2e/put_load.mjs --endpoint "$endpoint" --seconds "$seconds" | tr -d '\n'
  rss_kib="$(awk '/VmHWM/ {print $2}' /proc/$pid/status)"
  cpu_ticks="$(awk '{print $14 + $15}' /proc/$pid/stat)"
  printf ',"server_peak_rss_kib":%s,"server_cpu_s":%s}\n' "$rss_kib" "$(awk -v t="$cpu_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$dir"
done
