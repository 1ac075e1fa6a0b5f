// Fuzz target: a sweep specification `--vary PATH=VALUES` (sweep::ParseVariedPath), and the midpoint a
// refinement asks of two of its numeric values.
#include <cstddef>
#include <cstdint>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/sweep/varied_path.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run([&] {
    const ldaformer::sweep::VariedPath varied = ldaformer::sweep::ParseVariedPath(ldaformer::fuzz::Text(data, size));
    if (varied.numbers.size() >= 2) varied.Midpoint(varied.numbers.front(), varied.numbers.back());
  });
}
