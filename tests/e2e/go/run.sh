#!/usr/bin/env bash
# The AWS SDK for Go v2 end-to-end tests: go test against a real eddy (EDDY_BIN, default
# <repo>/build/bin/eddy). The module cache is Go's default one (GOMODCACHE), so the pinned SDK is
# downloaded once and reused; -mod=readonly keeps go.mod and go.sum exactly as committed.
# The exit code is go test's. Extra arguments go to go test (e.g. -run Subscribe -v).
#
# The SDK needs Go 1.24. An older go on PATH is used only to fetch Go $toolchain through the Go module
# proxy (the golang.org/toolchain module, as Go's own toolchain switching does), into the module cache:
# Go 1.21 to 1.23 by GOTOOLCHAIN, older ones (Debian 12's golang is 1.19) by go mod download.
set -uo pipefail
toolchain=go1.24.13
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
  echo "run.sh: no go command on PATH (install Go, 1.19 or newer)" >&2
  exit 1
fi

# go1.19.8 -> 19; a development build ("devel ...") counts as new enough.
minor="$("$go_bin" env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
if [[ -n "$minor" ]] && ((minor < 24)); then
  if ((minor >= 21)); then
    export GOTOOLCHAIN="$toolchain"
  else
    # Too old to switch toolchains itself: fetch the toolchain module and run its go. Module zips keep
    # no file modes, so the executables are marked as such here, as Go does when it switches.
    platform="$("$go_bin" env GOOS)-$("$go_bin" env GOARCH)"
    dir="$("$go_bin" env GOMODCACHE)/golang.org/toolchain@v0.0.1-$toolchain.$platform"
    if [[ ! -x "$dir/bin/go" ]]; then
      echo "run.sh: $("$go_bin" env GOVERSION) is older than the SDK's Go 1.24; fetching $toolchain" >&2
      (cd / && GOFLAGS= "$go_bin" mod download "golang.org/toolchain@v0.0.1-$toolchain.$platform") || exit 1
      chmod +x "$dir"/bin/* "$dir"/pkg/tool/*/* || exit 1
    fi
    go_bin="$dir/bin/go"
    export GOTOOLCHAIN=local
  fi
fi

cd "$here" || exit 1
exec "$go_bin" test -mod=readonly -count=1 "$@" ./...
