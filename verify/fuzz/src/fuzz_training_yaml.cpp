// Fuzz target: the `training:` section of a scenario file (sim::ParseTrainingSection).
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/sim/training_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run(
      [&] { ldaformer::sim::ParseTrainingSection(YAML::Load(ldaformer::fuzz::Text(data, size))); });
}
