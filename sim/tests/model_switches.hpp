// What the tests of the one-layer model and of the encoder share: a small scenario, examples masked from
// it, every valid combination of the model's switches, and the relative error of a matrix.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/length_distribution.hpp"
#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::sim::testing {

// A small scenario: T = 2, v = 6, two special tokens, N uniform on 3..9, heavy masking so that every
// document has several targets, replacements from all tokens.
inline theory::Scenario SmallScenario(theory::KeySet keys) {
  theory::Scenario s;
  s.name = "small";
  s.topics = theory::TopicModel::DisjointUniform(2, 6);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(2, 0.5);
  s.length = theory::LengthDistribution::Uniform(3, 9);
  s.masking.p_m = 0.5;
  s.masking.p_c = 0.2;
  s.masking.p_r = 0.3;
  s.masking.keys = keys;
  s.masking.replacement = theory::ReplacementAlphabet::kAllTokens;
  s.num_special = 2;
  s.Validate();
  return s;
}

inline std::vector<sim::MaskedExample> Examples(const theory::Scenario& s, int count, std::uint64_t seed) {
  std::vector<sim::MaskedExample> examples;
  for (int d = 0; d < count; ++d) {
    theory::Rng rng = theory::StreamFor(seed, d);
    std::vector<int> words(3 + d % 7);
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = int((d * 7 + i * 5) % s.topics.v);
    examples.push_back(sim::MaskDocument(words, s.masking, s.tokens(), rng));
  }
  return examples;
}

// Every combination of the switches that validates, with d = 5 < n = 8 where the width is free.
inline std::vector<sim::ModelConfig> AllConfigs() {
  std::vector<sim::ModelConfig> configs;
  for (auto embedding : {sim::EmbeddingMode::kTrainable, sim::EmbeddingMode::kOneHot})
    for (auto attention : {sim::AttentionMode::kTrainable, sim::AttentionMode::kUniform})
      for (auto value : {sim::ValueMode::kTrainable, sim::ValueMode::kIdentity, sim::ValueMode::kBlock})
        for (auto decoder : {theory::Decoder::kIdentity, theory::Decoder::kTied})
          for (auto loss : {theory::LossKind::kSquared, theory::LossKind::kCrossEntropy}) {
            sim::ModelConfig c;
            c.embedding = embedding;
            c.attention = attention;
            c.value = value;
            c.decoder = decoder;
            c.loss = loss;
            const bool free_width = decoder == theory::Decoder::kTied && embedding == sim::EmbeddingMode::kTrainable &&
                                    value != sim::ValueMode::kBlock;
            c.d = free_width ? 5 : 0;
            c.d_k = 3;
            c.l2 = {0.01, 0.02, 0.03, 0.04};
            if (!c.TrainsEmbedding() && !c.TrainsAttention() && !c.TrainsValue()) continue;
            configs.push_back(c);
          }
  return configs;
}

inline std::string Describe(const sim::ModelConfig& c) {
  return fmt::format("embedding {} attention {} value {} decoder {} loss {} d {}", theory::NameOf(c.embedding),
                     theory::NameOf(c.attention), theory::NameOf(c.value), theory::NameOf(c.decoder),
                     theory::NameOf(c.loss), c.d);
}

// max |a - b| / max |b|: the relative error of a whole matrix (0 when both are zero).
inline double RelativeError(const theory::Matrix& a, const theory::Matrix& b) {
  if (a.size() == 0 && b.size() == 0) return 0.0;  // both frozen
  const double scale = b.cwiseAbs().maxCoeff();
  const double diff = (a - b).cwiseAbs().maxCoeff();
  return scale > 0.0 ? diff / scale : diff;
}

}  // namespace ldaformer::sim::testing
