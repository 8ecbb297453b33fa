#!/usr/bin/env bash
# KCL end-to-end tests: the Kinesis Client Library (Java, pinned in pom.xml) consumes streams served by
# eddy, with its lease table on dynalite (npm, pinned in package.json). The tests start both servers
# themselves; this script only makes sure the pieces are there, then runs Maven. The exit code is
# Maven's: 0 when every test passed.
#
# EDDY_BIN picks the binary (default: build/bin/eddy in the repository). Maven keeps its downloads in
# the default ~/.m2, so only the first run fetches KCL and the AWS SDK.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

export EDDY_BIN="${EDDY_BIN:-$repo/build/bin/eddy}"
if [[ ! -x "$EDDY_BIN" ]]; then
    echo "kcl e2e: eddy binary not found or not executable: $EDDY_BIN (build it, or set EDDY_BIN)" >&2
    exit 1
fi
for tool in java mvn node npm; do
    command -v "$tool" >/dev/null || { echo "kcl e2e: $tool is not installed" >&2; exit 1; }
done

cd "$here"
# npm ci only when the installed tree is missing or older than the lock file.
if [[ ! -d node_modules/dynalite || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

echo "== end-to-end: KCL ($(sed -n 's:.*<kcl.version>\(.*\)</kcl.version>.*:\1:p' pom.xml)) against $EDDY_BIN"
rm -rf target/surefire-reports
status=0
mvn -B -q -ntp test || status=$?

# -q silences surefire's own totals; count them from its reports so a log shows what ran.
passed=0 failed=0 skipped=0
for report in target/surefire-reports/TEST-*.xml; do
    [[ -e "$report" ]] || continue
    head="$(grep -m1 -o '<testsuite [^>]*>' "$report")"
    attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$head"; }
    t=$(attr tests) f=$(attr failures) e=$(attr errors) s=$(attr skipped)
    passed=$((passed + t - f - e - s)) failed=$((failed + f + e)) skipped=$((skipped + s))
done
echo "kcl: $passed passed, $failed failed, $skipped skipped"
if (( status == 0 && passed == 0 )); then
    echo "kcl e2e: no test ran" >&2
    status=1
fi
exit "$status"
