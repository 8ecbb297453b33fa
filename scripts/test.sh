#!/usr/bin/env bash
# Every test: install what is missing (build and test dependencies), build, then run the unit tests
# (ctest), the JS SDK v3 end-to-end tests (node --test) and the boto3 / AWS CLI / raw HTTP end-to-end
# tests (pytest), then the fixture examples of docs/fixtures.md, so they keep working. Each suite runs even if
# an earlier one failed; the exit code says whether all passed.
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
echo "== examples: eddy as a test fixture (node:test; pytest and unittest)"
(cd examples/fixtures/node && node --test) || status=1
python3 -m pytest -q examples/fixtures/python || status=1
if (( status == 0 )); then echo "eddy: all test suites passed"; else echo "eddy: some test suites FAILED"; fi
exit $status
