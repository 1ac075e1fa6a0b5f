#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs `ldaformer verify` on the paper's default
# scenario (a table on stdout, the report with JSON, CSV and PNG heatmaps in $out).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/bootstrap.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)" --target ldaformer

tool=build/release/bin/ldaformer
# Exit status of verify: 0 when no claim inside its hypotheses fails or is unverified.
"$tool" verify --scenario verify/scenarios/paper-synthetic.yaml --out "$out"
