#!/usr/bin/env bash
# The durability check at length; kept for old habits: scripts/crash-loop.sh is the tool (and takes
# --power-loss). Usage: bench/crash-loop.sh [cycles] [always|none]
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/crash-loop.sh "${1:-20}" --sync "${2:-always}"
