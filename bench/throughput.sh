#!/usr/bin/env bash
# Throughput benchmark: hakit's churn against the fixed variant versus the
# machine's limit (limit-probe's in-flight cycle rate), measured in the same run,
# interleaved round by round so both see the same machine noise.
#
# usage: bench/throughput.sh [--build DIR] [--cycles N] [--rounds R] [--scenario S] [--concurrency C]
# prints per round: probe cycles/s, hakit cycles/s, ratio; then the median ratio.
# The default scenario, health-probe, does the probe's work per cycle (the client
# sends a few bytes and closes; the master starts 3 threads, reads, sees the close);
# fin-after-handshake adds a reply the master writes and the client reads.
set -euo pipefail

build=build/release
cycles=20000
rounds=3
scenario=health-probe
concurrency=64
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --cycles) cycles=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "throughput.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done

hakit="$build/runner/hakit"
probe="$build/bench/limit-probe"
for program in "$hakit" "$probe"; do
  [ -x "$program" ] || { echo "throughput.sh: $program not built (cmake --preset release && cmake --build --preset release)" >&2; exit 66; }
done

ratios=()
printf '%-6s %14s %14s %7s\n' round probe/s hakit/s ratio
for round in $(seq 1 "$rounds"); do
  probe_rate=$("$probe" "$cycles" --json | /usr/bin/python3 -c 'import json,sys; print(round(json.load(sys.stdin)["inflight_cycles_per_s"]))')
  hakit_rate=$("$hakit" run --variants fixed --scenario "$scenario" --connections "$cycles" \
      --concurrency "$concurrency" --out - --no-progress --quiet 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["scenarios"][0]["variants"]["fixed"]["cycles_per_s"]))')
  ratio=$(/usr/bin/python3 -c "print(f'{$hakit_rate / $probe_rate:.2f}')")
  ratios+=("$ratio")
  printf '%-6s %14s %14s %7s\n' "$round" "$probe_rate" "$hakit_rate" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median ratio (hakit churn / machine limit): $median  (target >= 0.80)"
