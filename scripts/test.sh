#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every test, then
# runs the fast tests again in an AddressSanitizer + UndefinedBehaviorSanitizer build. The two builds are
# the presets "release" and "sanitize" of CMakePresets.json.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/bootstrap.sh

cmake --preset release
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

cmake --preset sanitize
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs"
