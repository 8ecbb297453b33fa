#!/usr/bin/env bash
# The AWS SDK for Go v2 end-to-end tests: go test against a real eddy (EDDY_BIN, default
# <repo>/build/bin/eddy). The module cache is Go's default one (GOMODCACHE), so the pinned SDK is
# downloaded once and reused; -mod=readonly keeps go.mod and go.sum exactly as committed.
# The exit code is go test's. Extra arguments go to go test (e.g. -run Subscribe -v).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
export EDDY_BIN="${EDDY_BIN:-$repo/build/bin/eddy}"
if [[ ! -x "$EDDY_BIN" ]]; then
  echo "run.sh: eddy binary not found or not executable: $EDDY_BIN (build it, or set EDDY_BIN)" >&2
  exit 1
fi

go_bin="$(command -v go || true)"
if [[ -z "$go_bin" && -x /usr/local/go/bin/go ]]; then go_bin=/usr/local/go/bin/go; fi
if [[ -z "$go_bin" ]]; then
  echo "run.sh: no go command on PATH (the module needs Go 1.24 or newer)" >&2
  exit 1
fi

cd "$here" || exit 1
exec "$go_bin" test -mod=readonly -count=1 "$@" ./...
