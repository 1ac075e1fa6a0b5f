#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs `ldaformer verify` on the paper's default
# scenario (a table on stdout, the report with JSON, CSV and PNG heatmaps in $out).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/bootstrap.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLDAFORMER_WERROR=ON
cmake --build build/release -j "$(nproc)" --target ldaformer

tool=build/release/bin/ldaformer
# Exit status of verify: 0 if and only if every claim expected to hold does.
"$tool" verify --scenario verify/scenarios/paper-synthetic.yaml --out "$out"
