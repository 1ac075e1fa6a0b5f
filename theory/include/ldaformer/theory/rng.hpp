// Counter-based random streams: every (seed, stream) pair has its own independent Philox stream, so a
// document's randomness depends only on the seed and the document's index, never on the thread that
// draws it.
#pragma once

#include <cstdint>

#include <Random123/philox.h>
#include <Random123/conventional/Engine.hpp>

namespace ldaformer::theory {

// A uniform random bit generator (usable with Boost.Random distributions).
using Rng = r123::Engine<r123::Philox4x64>;

// The stream for item `index` under `seed`.
inline Rng StreamFor(std::uint64_t seed, std::uint64_t index) {
  Rng::ukey_type key = {{seed, index}};
  return Rng(key);
}

}  // namespace ldaformer::theory
