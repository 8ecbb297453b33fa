#!/usr/bin/env bash
# Every test: install what is missing (build and test dependencies), build, then run the unit tests
# (ctest), the end-to-end tests through real clients (the JS SDK v3, boto3 / AWS CLI / raw HTTP, the Go SDK
# v2, the Java SDK v2 and KCL), the web console in headless chromium, the fixture examples of docs/fixtures.md,
# so they keep working, and each fuzz target briefly. Each suite runs even if an earlier one failed; the exit
# code says whether all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
scripts/build.sh || exit 1

export EDDY_BIN="$PWD/build/bin/eddy"
status=0
echo "== unit tests (ctest)"
ctest --test-dir build --output-on-failure --parallel "$(nproc)" || status=1
echo "== end-to-end: AWS SDK for JavaScript v3 (HTTP/2 and HTTP/1.1)"
(cd tests/e2e/js && node --test --test-concurrency=1) || status=1
echo "== end-to-end: boto3, AWS CLI and raw HTTP"
python3 -m pytest -q tests/e2e/python || status=1
echo "== end-to-end: AWS SDK for Go v2 (HTTP/1.1, and h2 over TLS)"
tests/e2e/go/run.sh || status=1
echo "== end-to-end: AWS SDK for Java v2 (CBOR and JSON; Apache HTTP/1.1 and Netty HTTP/2)"
tests/e2e/java/run.sh || status=1
echo "== end-to-end: KCL 3 (polling and enhanced fan-out, resharding, restarts; leases on dynalite)"
tests/e2e/kcl/run.sh || status=1
echo "== end-to-end: web console (Playwright, Debian chromium)"
(cd tests/e2e/console && node --test --test-concurrency=1) || status=1
echo "== examples: eddy as a test fixture (node:test; pytest and unittest)"
(cd examples/fixtures/node && node --test) || status=1
python3 -m pytest -q examples/fixtures/python || status=1
echo "== fuzz: every libFuzzer target for 10 s under ASan and UBSan, after its saved regressions"
{ tests/fuzz/build.sh && tests/fuzz/run.sh 10; } || status=1
if (( status == 0 )); then echo "eddy: all test suites passed"; else echo "eddy: some test suites FAILED"; fi
exit $status
