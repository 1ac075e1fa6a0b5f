#!/usr/bin/env bash
# Long fuzzing on demand: builds the preset "fuzz" (clang 14, libFuzzer, ASan + UBSan) and runs each
# target (or the ones named) for RUNS inputs, 2 GB and 10 s per input, from a copy of its seeds under
# build/fuzz/long/<target>/ (the repository is never written). Prints one line per target: inputs run,
# seconds, coverage, corpus size; a finding stops that target with its crash input under artifacts/.
# Usage: scripts/fuzz.sh [-n RUNS] [-j JOBS] [target ...]     (default RUNS 1000000, JOBS = nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=1000000
jobs=$(nproc)
while getopts "n:j:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: scripts/fuzz.sh [-n RUNS] [-j JOBS] [target ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
all=(scenario_yaml training_yaml verify_options corpus checkpoint matrix_csv varied_path)
targets=("${@:-${all[@]}}")
for t in "${targets[@]}"; do
  [ -d "verify/fuzz/corpus/$t" ] || { echo "fuzz.sh: unknown target '$t' (targets: ${all[*]})" >&2; exit 2; }
done

cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "$jobs"

run_one() {
  local t=$1 work="build/fuzz/long/$1"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  cp verify/fuzz/corpus/"$t"/* "$work/corpus/"
  local start=$SECONDS rc=0
  ASAN_OPTIONS=detect_leaks=1 build/fuzz/verify/fuzz/fuzz_"$t" -runs="$runs" -seed=1 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" > "$work/log.txt" 2>&1 || rc=$?
  local executed cov
  executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log.txt" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$work/log.txt" | tail -1 | grep -o '[0-9]*' || echo "?")
  printf '%-16s inputs %10s  seconds %6d  cov %6s  corpus %5d  %s\n' "$t" "$executed" $((SECONDS - start)) "$cov" \
    "$(ls "$work/corpus" | wc -l)" "$([ $rc -eq 0 ] && echo "no finding" || echo "FINDING (rc $rc): see $work/log.txt")"
  return $rc
}
export -f run_one
export runs
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
