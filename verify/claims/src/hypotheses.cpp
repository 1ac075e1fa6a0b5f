// The hypotheses of each claim (docs/THEOREMS.md), evaluated on a scenario.
#include <fmt/format.h>

#include "ldaformer/claims/claims.hpp"

namespace ldaformer::claims {

namespace {

// The shortest document the length law draws, in words: attention and the key average need two positions.
Hypothesis TwoPositions(const theory::LengthDistribution& length) {
  const std::string name = "at least two positions per document";
  if (length.IsInfinite()) return {name, true, "N -> inf"};
  return {name, length.values.front() >= 2, fmt::format("smallest N = {}", length.values.front())};
}

// Whether a document can mix two topics: P(theta_t theta_s > 0 for some t != s) > 0. A Dirichlet always
// mixes; a uniform subset mixes when k >= 2. A user sampler is judged by its second moment, whose
// off-diagonal mass sum_{t != s} E[theta_t theta_s] = 1 - tr E[theta theta^T] is > 0 exactly when documents
// mix; without a known second moment we cannot tell, and then assume not (the claim is not judged).
Hypothesis TwoTopicsMix(const theory::DocumentPrior& prior) {
  const std::string name = "documents mix two topics";
  switch (prior.kind) {
    case theory::DocumentPrior::Kind::kDirichlet:
      return {name, prior.T >= 2, fmt::format("Dirichlet, T = {}", prior.T)};
    case theory::DocumentPrior::Kind::kUniformSubset:
      return {name, prior.k >= 2, fmt::format("uniform subset of k = {} topics", prior.k)};
    case theory::DocumentPrior::Kind::kSampler:
      break;
  }
  if (!prior.HasExactMoments()) return {name, false, "unknown (a sampler without a second moment)"};
  const double mixing = 1.0 - prior.SecondMoment().trace();
  return {name, mixing > 1e-12, fmt::format("sum over t != s of E[theta_t theta_s] = {:.3g}", mixing)};
}

}  // namespace

std::vector<Hypothesis> ClaimHypotheses(const theory::Scenario& scenario, const std::string& claim) {
  const theory::TopicModel& topics = scenario.topics;
  std::vector<Hypothesis> out = {
      {"A1 topics (disjoint, uniform)", topics.disjoint_uniform, topics.disjoint_uniform ? "A1" : "general beta"},
      {"exchangeable prior", scenario.prior.IsExchangeable(), scenario.prior.Describe()},
      {"at least two topics", topics.T >= 2, fmt::format("T = {}", topics.T)},
      TwoPositions(scenario.length)};
  if (claim != "T1") {
    out.push_back(
        {"at least two words per topic", topics.v >= 2 * topics.T, fmt::format("v / T = {} / {}", topics.v, topics.T)});
  }
  if (claim == "T3") out.push_back(TwoTopicsMix(scenario.prior));
  if (claim == "T3" || claim == "D") {
    const double shown = scenario.masking.p_m * scenario.masking.p_c;
    out.push_back({"selected tokens sometimes show their word", shown > 0, fmt::format("p_m p_c = {:.3g}", shown)});
  }
  return out;
}

}  // namespace ldaformer::claims
