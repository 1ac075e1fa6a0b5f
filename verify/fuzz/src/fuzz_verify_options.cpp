// Fuzz target: the `verify:` section of a scenario file (claims::ParseVerifyOptions).
#include <cstddef>
#include <cstdint>

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run(
      [&] { ldaformer::claims::ParseVerifyOptions(YAML::Load(ldaformer::fuzz::Text(data, size))); });
}
