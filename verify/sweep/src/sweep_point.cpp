#include "ldaformer/sweep/sweep_point.hpp"

#include "ldaformer/theory/rng.hpp"

namespace ldaformer::sweep {

std::string SweepPoint::Key(const std::vector<std::string>& paths) const {
  std::string key;
  for (std::size_t i = 0; i < values.size(); ++i) key += (i ? " " : "") + paths.at(i) + "=" + values[i];
  return key;
}

std::uint64_t PointSeed(std::uint64_t base_seed, const std::vector<std::string>& values) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a offset basis
  for (const std::string& value : values) {
    for (const unsigned char c : value + '\0') {  // the terminator keeps ("ab","c") apart from ("a","bc")
      hash ^= c;
      hash *= 1099511628211ull;
    }
  }
  theory::Rng stream = theory::StreamFor(base_seed, hash);
  return stream() >> 1;  // below 2^63: a seed every YAML reader accepts as an integer
}

}  // namespace ldaformer::sweep
