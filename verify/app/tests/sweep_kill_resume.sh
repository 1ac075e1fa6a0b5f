#!/usr/bin/env bash
# A sweep killed with SIGKILL while a point runs, then resumed, gives the results.csv of a sweep that ran
# through (but for the seconds column), and the killed directory never holds a half-written file.
# Usage: sweep_kill_resume.sh TOOL SCENARIO WORKDIR
set -euo pipefail
tool=$1 scenario=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
args=(sweep --scenario "$scenario" --vary masking.p_c=0.05:0.2:4 --claims T3 --jobs 1 --quiet --no-plots)

"$tool" "${args[@]}" --out "$work/whole" > /dev/null

for wait_points in 1 2; do
  dir="$work/killed-$wait_points"
  "$tool" "${args[@]}" --out "$dir" > /dev/null 2>&1 &
  pid=$!
  # Kill while the next point runs: after `wait_points` points are stored.
  for _ in $(seq 1 600); do
    n=$(find "$dir/points" -name "*.json" 2> /dev/null | wc -l || true)
    [ "$n" -ge "$wait_points" ] && break
    sleep 0.1
  done
  kill -KILL "$pid"
  wait "$pid" 2> /dev/null || true
  n=$(find "$dir/points" -name '*.json' | wc -l)
  [ "$n" -ge "$wait_points" ] && [ "$n" -lt 4 ] || { echo "killed after $n points, wanted $wait_points..3"; exit 1; }
  # Every stored file is whole JSON; results.csv has a header and whole lines.
  for f in "$dir"/points/*.json "$dir/sweep.json" "$dir/results.json"; do
    [ -e "$f" ] || continue  # results.json comes after the first point's file
    python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" || { echo "half-written $f"; exit 1; }
  done
  "$tool" "${args[@]}" --out "$dir" --resume > "$work/resume-$wait_points.out"
  grep -q "4 points ($((4 - n)) new)" "$work/resume-$wait_points.out" || { cat "$work/resume-$wait_points.out"; exit 1; }
  diff <(sed 's/,[^,]*$//' "$work/whole/results.csv") <(sed 's/,[^,]*$//' "$dir/results.csv")
done
echo "killed and resumed sweeps equal the whole one"
