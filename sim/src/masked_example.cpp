#include "ldaformer/sim/masked_example.hpp"

#include <boost/random/uniform_01.hpp>

#include "ldaformer/sim/streams.hpp"
#include "ldaformer/theory/document_sampler.hpp"

namespace ldaformer::sim {

MaskedExample MaskDocument(const std::vector<int>& words, const theory::Masking& masking,
                           const theory::TokenSpace& tokens, theory::Rng& rng) {
  const theory::Channel target = theory::TargetChannel(masking);
  boost::random::uniform_01<double> uniform;
  MaskedExample example;
  example.words = words;
  example.inputs.resize(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool selected = uniform(rng) < masking.p_m;
    example.inputs[i] = selected ? theory::DrawInput(words[i], target, tokens, masking.replacement, rng) : words[i];
    if (selected) example.targets.push_back(static_cast<int>(i));
    if (!selected || masking.keys == theory::KeySet::kAllPositions) example.keys.push_back(static_cast<int>(i));
  }
  return example;
}

theory::KeyMultiset ExampleKeys(const MaskedExample& example) {
  return theory::KeyMultiset::FromPositions(example.inputs, example.words, example.targets, example.keys);
}

theory::Rng MaskStream(MaskingSchedule schedule, std::uint64_t seed, std::uint64_t epoch, std::uint64_t document) {
  const std::uint64_t stream_seed = schedule == MaskingSchedule::kStatic
                                        ? DerivedSeed(seed, StreamPurpose::kStaticMask, 0)
                                        : DerivedSeed(seed, StreamPurpose::kDynamicMask, epoch);
  return theory::StreamFor(stream_seed, document);
}

}  // namespace ldaformer::sim
