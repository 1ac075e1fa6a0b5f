// Fuzz target: an encoder's training checkpoint (sim::ParseEncoderCheckpoint on the file's text), as
// `train --resume` with the encoder and `figure5` read it.
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/sim/encoder_checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run(
      [&] { ldaformer::sim::ParseEncoderCheckpoint(ldaformer::fuzz::Text(data, size), "fuzz"); });
}
