#include "ldaformer/theory/scenario.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory {

void Scenario::Validate() const {
  if (topics.T < 1 || topics.v < 1 || topics.beta.rows() != topics.T || topics.beta.cols() != topics.v) {
    throw std::invalid_argument(fmt::format("topics: beta must be T x v, got T={}, v={}, beta {}x{}", topics.T,
                                            topics.v, topics.beta.rows(), topics.beta.cols()));
  }
  if (prior.T != topics.T) {
    throw std::invalid_argument(fmt::format("prior: must be over topics.T={} topics, got T={}", topics.T, prior.T));
  }
  if (num_special < 1) {
    throw std::invalid_argument(fmt::format("special_tokens must be >= 1 (MASK), got {}", num_special));
  }
  masking.Validate();
  if (length.kind != LengthDistribution::Kind::kInfinite && length.values.empty()) {
    throw std::invalid_argument("length: empty support");
  }
}

bool Scenario::HasTopicBlockStructure() const {
  return topics.disjoint_uniform && prior.IsExchangeable() && prior.HasExactMoments();
}

std::string Scenario::Describe() const {
  return fmt::format("{}: T={} v={} {} {} {} p_m={:g} p_c={:g} p_r={:g} keys={} replacement={}", name, topics.T,
                     topics.v, topics.disjoint_uniform ? "A1" : "general-beta", prior.Describe(), length.Describe(),
                     masking.p_m, masking.p_c, masking.p_r, NameOf(masking.keys), NameOf(masking.replacement));
}

Scenario PaperSyntheticScenario() {
  Scenario s;
  s.name = "paper-synthetic";
  s.topics = TopicModel::DisjointUniform(10, 100);
  s.prior = DocumentPrior::SymmetricDirichlet(10, 0.1);
  s.length = LengthDistribution::Uniform(100, 150);
  s.masking = Masking{};
  s.num_special = 1;
  return s;
}

}  // namespace ldaformer::theory
