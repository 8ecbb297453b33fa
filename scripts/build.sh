#!/usr/bin/env bash
# Configures (once) and builds eddy and its tests into ./build with Ninja and ccache.
# EDDY_BUILD_TARGET=eddy builds only the broker (the container image); EDDY_BUILD_TYPE picks the build type.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type="${EDDY_BUILD_TYPE:-Release}"
# ccache keys on the preprocessed text, whose line markers hold absolute paths: with the checkout as base
# dir they become relative, so a clean clone in another folder (CI) reuses what an earlier one compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type"
fi
cmake --build build --parallel "$(nproc)" ${EDDY_BUILD_TARGET:+--target "$EDDY_BUILD_TARGET"}
