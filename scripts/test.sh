#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every test, then
# runs the fast tests again in an AddressSanitizer + UndefinedBehaviorSanitizer build, then builds the
# libFuzzer targets of the parsers (clang 14) and runs each on its seeds and past crash inputs and for
# 30 s. The three builds are the presets "release", "sanitize" and "fuzz" of CMakePresets.json; longer
# fuzzing: scripts/fuzz.sh.
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

cmake --preset fuzz
cmake --build --preset fuzz -j "$jobs"
ctest --preset fuzz -j "$jobs"
