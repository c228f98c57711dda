#!/usr/bin/env bash
# The main job: install what is missing, build (release), run `hakit run` with
# the arguments given (none: the headline buggy-vs-fixed comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target hakit ha-master-buggy ha-master-fixed ha-slave-buggy ha-slave-fixed
exec build/release/runner/hakit run "$@"
