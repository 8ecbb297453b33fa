#!/usr/bin/env bash
# Installs what Eddy needs on Debian 12 (bookworm), and nothing that is already there.
# Idempotent: when every package is present it only checks, which takes about a second.
#   scripts/install-deps.sh          build dependencies of the broker
#   scripts/install-deps.sh --test   also the end-to-end test clients (npm packages, boto3, AWS CLI, pytest,
#                                    a JDK with Maven for the Java SDK and KCL tests, Go for the Go SDK tests,
#                                    clang for the fuzz targets, chromium for the web console's browser tests)
#   scripts/install-deps.sh --runtime  only the shared libraries build/bin/eddy loads (the container image)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
want_runtime=0
[[ "${1:-}" == "--test" ]] && want_tests=1
[[ "${1:-}" == "--runtime" ]] && want_runtime=1

# Boost 1.81 (Asio with C++20 coroutines, Beast); libboost1.81-dev conflicts with the 1.74 headers.
build_pkgs=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev librocksdb-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libnghttp2-dev libssl-dev libcbor-dev zlib1g-dev protobuf-compiler libprotobuf-dev libyaml-cpp-dev libsimdjson-dev libmimalloc-dev
  prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# What build/bin/eddy loads at run time (ldd, then dpkg -S per library); RocksDB is linked statically.
# tests/e2e/python/test_docker_files.py checks this list against the built binary.
runtime_pkgs=(
  libc6 libgcc-s1 libstdc++6 libssl3 libnghttp2-14 libcbor0.8 libspdlog1.10 libfmt9
  zlib1g libzstd1 liblz4-1 libbz2-1.0 libsnappy1v5 libyaml-cpp0.7 libprometheus-cpp-core1.0 libsimdjson14 libmimalloc2.0
)
(( want_runtime )) && build_pkgs=("${runtime_pkgs[@]}")
test_pkgs=()
if (( want_tests )); then
  command -v node >/dev/null || test_pkgs+=(nodejs)
  command -v npm >/dev/null || test_pkgs+=(npm)
  python3 -c 'import boto3' 2>/dev/null || test_pkgs+=(python3-boto3)
  python3 -c 'import pytest' 2>/dev/null || test_pkgs+=(python3-pytest)
  command -v aws >/dev/null || test_pkgs+=(awscli)
  python3 -m pip --version >/dev/null 2>&1 || test_pkgs+=(python3-pip)
  command -v docker-compose >/dev/null || test_pkgs+=(docker-compose)
  command -v javac >/dev/null || test_pkgs+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || test_pkgs+=(maven)
  # tests/e2e/console: playwright-core drives Debian's chromium (it downloads no browser of its own).
  command -v chromium >/dev/null || test_pkgs+=(chromium)
  # tests/fuzz: clang 14 with libFuzzer and the ASan/UBSan runtimes (libclang-rt-14-dev).
  command -v clang++-14 >/dev/null && [[ -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ]] ||
    test_pkgs+=(clang-14 libclang-rt-14-dev)
  # Any go will do: tests/e2e/go/run.sh fetches the Go the SDK needs (1.24) from the Go module proxy when
  # the one found is older, as bookworm's 1.19 is.
  command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]] || test_pkgs+=(golang-go)
fi

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if dpkg-query -W -f='${Status}' libboost1.74-dev 2>/dev/null | grep -q "install ok installed"; then
    apt-get remove -y -q libboost1.74-dev
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if (( want_tests )); then
  # Python test-only packages (cbor2, prometheus-client, h2) are pinned by tests/e2e/python/requirements.txt.
  # Debian's own python refuses pip installs into its site-packages unless told (PEP 668); the test packages
  # are harmless there.
  if ! python3 -c 'import cbor2, prometheus_client, h2' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check -r tests/e2e/python/requirements.txt 2>/dev/null ||
      python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r tests/e2e/python/requirements.txt
  fi
  # The AWS SDK for JavaScript v3 and playwright-core need Node.js 20 or later; Debian 12's own nodejs is 18.
  if (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
    echo "install-deps: node $(node -v) is too old for the JS tests (the AWS SDK v3 needs 20+): install Node.js 20 or later" >&2
    exit 1
  fi
  # npm packages, each folder pinned by its package-lock.json: the JS SDK and its peers for the JS tests, the
  # Dockerfile linter, the examples the tests run (the compose services and the fixture example), the console's
  # browser tests (playwright-core) and the console's own build, which tests/e2e/console compares with dist/.
  for dir in tests/e2e/js tests/lint examples/compose examples/fixtures/node tests/e2e/console console; do
    if [[ ! -d $dir/node_modules ]] || [[ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi
