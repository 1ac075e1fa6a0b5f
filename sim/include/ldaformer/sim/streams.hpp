// The random streams of a training run. Each use of randomness has its own purpose tag, so that
// initialisation, masks and batch order never share a Philox stream and each is a pure function of
// (seed, purpose, index).
#pragma once

#include <cstdint>

#include "ldaformer/theory/rng.hpp"

namespace ldaformer::sim {

enum class StreamPurpose : std::uint64_t {
  kInit = 1,         // index: the matrix (0 E, 1 W^K, 2 W^Q, 3 W^V)
  kStaticMask = 2,   // index 0: the seed of the per-document mask streams
  kDynamicMask = 3,  // index: the epoch, giving that epoch's seed of per-document mask streams
  kShuffle = 4,      // index: the epoch's batch order
};

// The stream for (seed, purpose, index); indices must be below 2^56.
inline theory::Rng PurposeStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t index) {
  return theory::StreamFor(seed, (static_cast<std::uint64_t>(purpose) << 56) | index);
}

// A derived seed: the first draw of PurposeStream(seed, purpose, index).
inline std::uint64_t DerivedSeed(std::uint64_t seed, StreamPurpose purpose, std::uint64_t index) {
  theory::Rng rng = PurposeStream(seed, purpose, index);
  return rng();
}

}  // namespace ldaformer::sim
