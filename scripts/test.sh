#!/usr/bin/env bash
# The test command: installs what is missing, builds with warnings as errors, runs every test, then
# runs the fast tests again in an AddressSanitizer + UndefinedBehaviorSanitizer build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/bootstrap.sh

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLDAFORMER_WERROR=ON
cmake --build build/release -j "$jobs"
ctest --test-dir build/release -j "$jobs" --output-on-failure

cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLDAFORMER_WERROR=ON \
      -DLDAFORMER_SANITIZE=ON -DLDAFORMER_BUILD_BENCH=OFF
cmake --build build/sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize -LE slow -j "$jobs" --output-on-failure
