// Fuzz target: a training checkpoint (sim::ParseCheckpoint on the file's text), as `train --resume`
// reads it.
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/sim/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run([&] { ldaformer::sim::ParseCheckpoint(ldaformer::fuzz::Text(data, size), "fuzz"); });
}
