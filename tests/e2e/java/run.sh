#!/usr/bin/env bash
# The Java SDK end-to-end tests: builds nothing of eddy, only runs the Maven module in this folder against
# an eddy binary, twice (CBOR, the SDK's default, then JSON; see pom.xml), and prints one summary line.
#
#   EDDY_BIN   the broker to test (default: build/bin/eddy under the repository root; a relative path is
#              taken from the current directory, else from the repository root)
#   extra arguments go to Maven, e.g. -Dtest=DataPlaneTest
#
# Maven's local repository is the default ~/.m2, so the SDK and plugins are downloaded once and reused.
# The exit code is 0 when every test of both runs passed and at least one ran.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

bin="${EDDY_BIN:-build/bin/eddy}"
if [[ "$bin" != /* ]]; then
  if [[ -e "$PWD/$bin" ]]; then bin="$PWD/$bin"; else bin="$repo/$bin"; fi
fi
if [[ ! -x "$bin" ]]; then
  echo "java e2e: no eddy binary at $bin (build it, or set EDDY_BIN)" >&2
  exit 2
fi
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null; then
    echo "java e2e: $tool is not installed" >&2
    exit 2
  fi
done

cd "$here" || exit 2
# Reports of an earlier run must not be counted in this one's summary.
rm -rf target/surefire-reports
started=$(date +%s)
# Failing tests do not stop Maven here (maven.test.failure.ignore), so the JSON run still runs after a CBOR
# failure; the reports decide the exit code below. Maven 3.8 prints bare ANSI resets even in batch mode;
# they are stripped so logs stay readable.
mvn -B -q -ntp -Dstyle.color=never -Dmaven.test.failure.ignore=true test -Deddy.bin="$bin" "$@" 2>&1 |
  sed -u 's/\x1b\[[0-9;]*m//g'
rc=${PIPESTATUS[0]}
elapsed=$(($(date +%s) - started))

# Sums one attribute over a mode's report files (the testsuite element's attributes).
count() {
  local mode=$1 attr=$2 total=0 n
  for f in target/surefire-reports/"$mode"/TEST-*.xml; do
    [[ -e "$f" ]] || continue
    n=$(grep -m1 -o "<testsuite [^>]*" "$f" | grep -o " $attr=\"[0-9]*\"" | grep -o "[0-9]*")
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

all_pass=0 all_fail=0 all_skip=0
for mode in cbor json; do
  tests=$(count "$mode" tests)
  failed=$(($(count "$mode" failures) + $(count "$mode" errors)))
  skipped=$(count "$mode" skipped)
  passed=$((tests - failed - skipped))
  echo "java e2e ($mode): $passed passed, $failed failed, $skipped skipped"
  all_pass=$((all_pass + passed)) all_fail=$((all_fail + failed)) all_skip=$((all_skip + skipped))
done
if [[ $rc -ne 0 && $all_fail -eq 0 ]]; then all_fail=1; fi  # Maven failed before or outside the tests
if [[ $all_pass -eq 0 && $all_fail -eq 0 ]]; then all_fail=1; fi  # no test ran: that is no pass
if [[ $all_fail -ne 0 && $rc -eq 0 ]]; then rc=1; fi
echo "java e2e took ${elapsed}s with $bin"
echo "java: $all_pass passed, $all_fail failed, $all_skip skipped"
exit $rc
