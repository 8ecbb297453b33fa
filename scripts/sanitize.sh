#!/usr/bin/env bash
# The unit tests and the JS and Python end-to-end suites against an instrumented eddy:
#
#   scripts/sanitize.sh address   # ASan + UBSan (-fno-sanitize-recover=undefined), into build-asan
#   scripts/sanitize.sh thread    # TSan, into build-tsan
#
# Too slow for the 20-minute CI (a build from scratch alone takes longer): a scheduled job. Timings and
# results of each run are in docs/hardening.md.
#
# Every instrumented process (eddy, the unit tests, eddy-bench) writes its reports to files under
# BUILD/sanitizer-logs/SUITES (log_path), so a report is kept even when a test harness swallows eddy's stderr
# or only looks at its exit code. The run fails if any suite fails or if any report file appeared.
#
# Environment: EDDY_SANITIZE_SUITES (default "unit js python"; empty: build only) picks suites; EDDY_TEST_SLOWDOWN (set
# here to 5 for address and 10 for thread unless given) stretches the timeouts of the e2e fixtures.
set -uo pipefail
cd "$(dirname "$0")/.."
kind="${1:-}"
case "$kind" in
  address) dir=build-asan ;;
  thread) dir=build-tsan ;;
  *) echo "usage: scripts/sanitize.sh address|thread" >&2; exit 2 ;;
esac
suites="${EDDY_SANITIZE_SUITES-unit js python}"
root="$PWD"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"

# What scripts/test.sh installs (only what is missing): the e2e suites need the npm packages of
# tests/lint and examples/compose as well as the SDKs.
scripts/install-deps.sh --test || exit 1
started=$(date +%s)
# -O1: the sanitizers' own advice (fast enough, frames still accurate). Debug keeps asserts on. No
# benchmarks: eddy-bench is a client, and tests/e2e/python/test_eddy_bench.py runs the release one.
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DEDDY_SANITIZE="$kind" -DEDDY_BUILD_BENCH=OFF || exit 1
fi
# Without the unit tests only eddy is needed.
targets=()
[[ " $suites " == *" unit "* ]] || targets=(--target eddy)
nice -n 10 cmake --build "$dir" --parallel "$(nproc)" "${targets[@]}" || exit 1
built=$(date +%s)
echo "== built $dir in $((built - started)) s"

# One directory per suite selection, so that two selections may run side by side.
logs="$root/$dir/sanitizer-logs/$(echo ${suites:-none} | tr ' ' -)"
rm -rf "$logs"
mkdir -p "$logs"
# halt_on_error and exitcode: the first report ends the process with status 66, which every fixture
# notices (eddy must exit 0 on SIGTERM); log_path: the report also lands in a file this script checks.
common="halt_on_error=1:exitcode=66:print_stacktrace=1"
export UBSAN_OPTIONS="$common:log_path=$logs/ubsan"
if [[ "$kind" == address ]]; then
  export ASAN_OPTIONS="$common:log_path=$logs/asan:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"
  export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
  export EDDY_TEST_SLOWDOWN="${EDDY_TEST_SLOWDOWN:-5}"
else
  export TSAN_OPTIONS="$common:log_path=$logs/tsan:second_deadlock_stack=1:suppressions=$root/tests/sanitizers/tsan.supp:print_suppressions=0"
  export EDDY_TEST_SLOWDOWN="${EDDY_TEST_SLOWDOWN:-10}"
fi
export EDDY_BIN="$root/$dir/bin/eddy"
export EDDY_SANITIZER="$kind"  # tests that measure RSS skip that part: the sanitizers' allocators hold freed memory
# This one checks the release binary's libraries against the container image's packages; the
# instrumented one loads libasan/libtsan besides.
pytest_skip=(--deselect tests/e2e/python/test_docker_files.py::test_runtime_packages_cover_every_library_the_binary_loads)
if [[ -x "$root/build/bin/eddy-bench" ]]; then
  export EDDY_BENCH_BIN="$root/build/bin/eddy-bench"
else
  echo "== no build/bin/eddy-bench (scripts/build.sh makes it): test_eddy_bench.py is skipped"
  pytest_skip+=(--deselect tests/e2e/python/test_eddy_bench.py)
fi

status=0
run_suite() {  # name, command...
  local name="$1"; shift
  local t0=$(date +%s)
  echo "== $name"
  if nice -n 10 "$@"; then echo "== $name passed in $(( $(date +%s) - t0 )) s"
  else echo "== $name FAILED in $(( $(date +%s) - t0 )) s"; status=1; fi
}
for suite in $suites; do
  case "$suite" in
    unit) run_suite "unit tests (ctest)" ctest --test-dir "$dir" --output-on-failure --parallel "$(nproc)" \
            --timeout $((300 * EDDY_TEST_SLOWDOWN / 5)) ;;
    js) run_suite "end-to-end: JS SDK v3" bash -c 'cd tests/e2e/js && node --test --test-concurrency=1' ;;
    python) run_suite "end-to-end: boto3, AWS CLI and raw HTTP" python3 -m pytest -q tests/e2e/python "${pytest_skip[@]}" ;;
    *) echo "unknown suite '$suite' (unit, js, python)" >&2; exit 2 ;;
  esac
done

reports=$(find "$logs" -type f | sort)
if [[ -n "$reports" ]]; then
  echo "== sanitizer reports (each file is one process):"
  for f in $reports; do echo "--- $f"; head -60 "$f"; done
  status=1
fi
echo "== $kind: $(( $(date +%s) - started )) s in all ($(( built - started )) s building), $(echo "$reports" | grep -c . ) report files"
if (( status == 0 )); then echo "sanitize $kind: clean"; else echo "sanitize $kind: FAILED"; fi
exit $status
