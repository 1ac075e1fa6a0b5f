// Fuzz target: a token-id corpus file (theory::ParseCorpus) with v inferred from the largest id, as
// `ldaformer assumptions` and `train --corpus` read one when the scenario gives no v.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/theory/corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ldaformer::fuzz::Run([&] {
    std::istringstream in(ldaformer::fuzz::Text(data, size));
    ldaformer::theory::ParseCorpus(in, "fuzz", /*v=*/0);
  });
}
