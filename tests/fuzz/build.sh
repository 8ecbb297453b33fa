#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/README.md) into build-fuzz/fuzz/: clang-14, ASan and UBSan on
# every module, libFuzzer linked into the targets only. The gcc build in build/ is not touched.
#   tests/fuzz/build.sh            every target
#   tests/fuzz/build.sh json cbor  only these (names without _fuzz)
# JOBS (default 2) sets the parallel compile jobs.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "build.sh: clang-14 and libclang-rt-14-dev are needed: scripts/install-deps.sh --test" >&2
  exit 1
fi

# The targets carry debug info, which ccache would otherwise key on the checkout's path: a clean clone
# elsewhere (CI) then reuses what an earlier checkout compiled. Only the paths inside the debug info differ.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

# Debug keeps assert() on; -O1 keeps the targets fast enough to fuzz.
cmake -S . -B build-fuzz -G Ninja -Wno-dev \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DEDDY_FUZZ=ON -DEDDY_BUILD_TESTS=OFF -DEDDY_BUILD_BENCH=OFF >/dev/null

targets=()
for name in "$@"; do targets+=("${name%_fuzz}_fuzz"); done
(( ${#targets[@]} )) || targets=(eddy_fuzz_targets)
start=$(date +%s)
cmake --build build-fuzz -j"${JOBS:-2}" --target "${targets[@]}"
echo "build.sh: built ${targets[*]} in $(( $(date +%s) - start )) s; binaries in build-fuzz/fuzz/"
