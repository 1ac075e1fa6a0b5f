#!/usr/bin/env bash
# Runs every sweep of docs/BOUNDARIES.md and copies its plots into docs/boundaries/. Each sweep is one
# `ldaformer sweep` command, printed before it runs; its directory under OUT (default boundaries-out/)
# holds results.csv, boundaries.csv and the plots. A sweep that is already there is resumed, not redone.
# Usage: scripts/boundaries.sh [OUT] [JOBS]   (after the README's build command)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-boundaries-out}"
jobs="${2:-$(nproc)}"
tool="$root/build/release/bin/ldaformer"
paper="$root/verify/scenarios/paper-synthetic.yaml"
small="$root/verify/scenarios/small-maps.yaml"
mkdir -p "$out" "$root/docs/boundaries"

run() {
  local name=$1
  shift
  echo "== $name: ldaformer sweep $*"
  local resume=()
  [ -f "$out/$name/sweep.json" ] && resume=(--resume)
  "$tool" sweep "$@" --jobs "$jobs" --quiet --out "$out/$name" "${resume[@]}"
  for png in "$out/$name"/*.png; do
    [ -e "$png" ] && cp "$png" "$root/docs/boundaries/$name-$(basename "$png")"
  done
}

run blur-T1-T2 --scenario "$paper" --set topics.kind=blurred --vary topics.leak=0:0.99:12 --claims T1 T2 --refine 3
run lambda-T2 --scenario "$paper" --vary verify.lambda=log:1e-6:10:8 --claims T2 --refine 3
run copy-T3 --scenario "$small" --vary masking.p_c=0:0.8:5 --vary masking.p_r=0:0.8:5 --claims T3 --skip-invalid
run length-T3 --scenario "$paper" --set "length={kind: fixed, N: 100}" --vary length.N=2,3,5,10,20,50,100 --claims T3
run length-D --scenario "$small" --vary length.N=3,5,10,20,40 --claims D
run eps-D --scenario "$small" --vary "verify.d_eps=[1e-1,1e-2],[1e-2,1e-3],[1e-3,1e-4],[1e-4,1e-5]" --claims D
run alpha-T-T3 --scenario "$small" --vary prior.alpha=log:0.01:10:5 --vary topics.T=2,3,4,6 --claims T3
[ "${SKIP_GENERAL_BETA:-0}" = 1 ] || run blur-T3-D --scenario "$small" --set topics.kind=blurred --vary topics.leak=0:0.9:7 --claims T3 D
