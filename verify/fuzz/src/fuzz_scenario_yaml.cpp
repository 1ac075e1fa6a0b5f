// Fuzz target: a scenario file (theory::ParseScenarioString), every section the scenario parser reads.
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run([&] { ldaformer::theory::ParseScenarioString(ldaformer::fuzz::Text(data, size)); });
}
