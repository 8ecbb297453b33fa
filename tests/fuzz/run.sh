#!/usr/bin/env bash
# Runs every fuzz target built by tests/fuzz/build.sh for SECONDS each (default 10), one after the other.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      e.g. tests/fuzz/run.sh 60 http2 pipeline
# Per target: first the saved regressions (tests/fuzz/regressions/<target>/, each input run once), then
# fuzzing from the seed corpus (tests/fuzz/corpus/<target>/, read only: new inputs go to a temporary
# folder) with its dictionary (tests/fuzz/dict/, when listed below). Prints executions, exec/s and
# crashes per target; a crash input lands in build-fuzz/crashes/<target>/ and libFuzzer's log in
# build-fuzz/logs/<target>.log. Exits nonzero when any target crashed, timed out or ran out of memory.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-10}"
shift || true
bin=build-fuzz/fuzz
if [[ ! -d $bin ]]; then
  echo "run.sh: no $bin: run tests/fuzz/build.sh first" >&2
  exit 2
fi

declare -A dict=(
  [http1]=http1.dict [json]=kinesis_json.dict [pipeline]=kinesis_json.dict [cbor]=cbor.dict [sigv4]=sigv4.dict
)

targets=("$@")
if (( ${#targets[@]} == 0 )); then
  for f in "$bin"/*_fuzz; do targets+=("$(basename "${f%_fuzz}")"); done
fi

# Reports in symbols, and leaks count as crashes.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mkdir -p build-fuzz/logs build-fuzz/crashes
work_root=$(mktemp -d)
trap 'rm -rf "$work_root"' EXIT

failed=0
printf '%-16s %8s %12s %9s %8s  %s\n' target seconds executions exec/s crashes note
for name in "${targets[@]}"; do
  exe="$bin/${name}_fuzz"
  log="build-fuzz/logs/$name.log"
  crashes="build-fuzz/crashes/$name"
  if [[ ! -x $exe ]]; then
    printf '%-16s %8s %12s %9s %8s  %s\n' "$name" - - - - "not built"
    failed=1
    continue
  fi
  mkdir -p "$crashes"
  : >"$log"

  # Every saved regression input, run once; a nonzero exit is a crash that came back.
  regress="tests/fuzz/regressions/$name"
  if compgen -G "$regress/*" >/dev/null; then
    if ! "$exe" -artifact_prefix="$crashes/" "$regress"/* >>"$log" 2>&1; then
      printf '%-16s %8s %12s %9s %8s  %s\n' "$name" - - - 1 "a regression input crashes again: $log"
      failed=1
      continue
    fi
  fi

  work="$work_root/$name"
  mkdir -p "$work"
  seeds="tests/fuzz/corpus/$name"
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=25 -rss_limit_mb=2560 -artifact_prefix="$crashes/")
  [[ -n ${dict[$name]:-} ]] && args+=(-dict="tests/fuzz/dict/${dict[$name]}")
  before=$(find "$crashes" -type f | wc -l)
  start=$(date +%s)
  # New inputs go to the first folder only: the temporary one.
  "$exe" "${args[@]}" "$work" $([[ -d $seeds ]] && echo "$seeds") >>"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  found=$(( $(find "$crashes" -type f | wc -l) - before ))
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  note=""
  if (( rc != 0 )); then
    failed=1
    (( found == 0 )) && found=1
    note="exit $rc: $(grep -m1 -E '^==[0-9]+==ERROR|runtime error|^fuzz|deadly signal|Timeout|out-of-memory' "$log" | cut -c1-100); inputs in $crashes/"
  fi
  printf '%-16s %8s %12s %9s %8s  %s\n' "$name" "$took" "${execs:--}" "${rate:--}" "$found" "$note"
done
exit $failed
