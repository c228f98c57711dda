#!/usr/bin/env bash
# The whole test suite: install what is missing, build with warnings as errors,
# run every ctest. With --sanitizers also build the asan and tsan presets and
# run the thread-lifecycle tests (`ctest -L lifecycle`) under each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci -j2
if [ "${1:-}" = "--sanitizers" ]; then
  for preset in asan tsan; do
    cmake --preset "$preset"
    cmake --build --preset "$preset" --target hakit_lifecycle
    ctest --preset "$preset"
  done
fi
