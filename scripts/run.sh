#!/usr/bin/env bash
# The main job: installs what is missing, builds, and evaluates the paper's default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/bootstrap.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLDAFORMER_WERROR=ON
cmake --build build/release -j "$(nproc)" --target ldaformer

mkdir -p "$out"
tool=build/release/verify/ldaformer
scenario=verify/scenarios/paper-synthetic.yaml
for params in zero identity random:1; do
  "$tool" loss --scenario "$scenario" --params "$params"
  "$tool" loss --scenario "$scenario" --params "$params" --json > "$out/loss-exact-${params/:/-}.json"
  "$tool" loss --scenario "$scenario" --params "$params" --method mc --samples 4000 --json \
    > "$out/loss-mc-${params/:/-}.json"
done
echo "reports written to $out/"
