// Fuzz target: a training checkpoint (sim::CheckpointFromJson on the parsed JSON), as `train --resume`
// reads it.
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/sim/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run(
      [&] { ldaformer::sim::CheckpointFromJson(nlohmann::json::parse(ldaformer::fuzz::Text(data, size)), "fuzz"); });
}
