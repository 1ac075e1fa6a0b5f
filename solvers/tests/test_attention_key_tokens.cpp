// AttentionObjective::Loss evaluates each document over its u key tokens; ReferenceAttentionLoss is the
// direct computation over all n tokens. They agree to rounding for both losses, both key sets, the
// sample average and the N -> infinity objective; SampleAverage reads documents through
// theory::KeyMultiset exactly as a direct count of the sampled positions would; and the key-token path
// is bit-identical for 1 and 2 threads on an objective large enough to use them.
#include <cmath>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/solvers/reference_attention_loss.hpp"
#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/monte_carlo.hpp"

namespace ldaformer::solvers {
namespace {

using theory::LossKind;
using theory::Matrix;
using theory::Scenario;

constexpr double kRelative = 1e-12;

Matrix RandomMatrix(int n, std::uint64_t seed, double scale) {
  return scale * theory::LinearPredictor::Random(n, seed).M;
}

// The paper's scenario with the given key set; short documents with a high masking rate for the
// unselected keys, so that some key sets are empty.
Scenario PaperWithKeys(theory::KeySet keys) {
  Scenario s = theory::PaperSyntheticScenario();
  s.masking.keys = keys;
  if (keys == theory::KeySet::kUnselectedOnly) {
    s.length = theory::LengthDistribution::Uniform(1, 6);
    s.masking.p_m = 0.6;
  }
  s.Validate();
  return s;
}

double Relative(const Matrix& a, const Matrix& b) { return (a - b).norm() / b.norm(); }

void CheckAgainstReference(const AttentionObjective& objective, const Matrix& S, const Matrix& W_V) {
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    INFO(theory::NameOf(loss));
    Matrix gS, gV, rS, rV;
    const double value = objective.Loss(S, W_V, loss, &gS, &gV);
    const double reference = ReferenceAttentionLoss(objective, S, W_V, loss, &rS, &rV);
    CHECK(std::abs(value - reference) <= kRelative * std::abs(reference));
    CHECK(Relative(gS, rS) <= kRelative);
    CHECK(Relative(gV, rV) <= kRelative);
    // Without gradients the value is the same.
    CHECK(objective.Loss(S, W_V, loss) == value);
  }
}

TEST_CASE("Attention objective: the key-token path equals the direct computation", "[solvers][T3]") {
  for (const theory::KeySet keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const Scenario scenario = PaperWithKeys(keys);
    INFO(theory::NameOf(keys));
    const int n = scenario.tokens().n();
    const Matrix S = RandomMatrix(n, 1, 2.0), W_V = RandomMatrix(n, 2, 1.0);
    CheckAgainstReference(AttentionObjective::SampleAverage(scenario, 60, 7, 1), S, W_V);
    CheckAgainstReference(
        AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 8, 3), 1), S, W_V);
  }
}

TEST_CASE("Attention objective: SampleAverage reads the selected positions through the key multiset", "[solvers][T3]") {
  for (const theory::KeySet keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const Scenario scenario = PaperWithKeys(keys);
    INFO(theory::NameOf(keys));
    const AttentionObjective objective = AttentionObjective::SampleAverage(scenario, 60, 7, 1);
    const theory::DocumentSampler sampler(scenario, 2000);
    size_t next = 0;
    for (std::uint64_t d = 0; d < 60; ++d) {
      const theory::MaskedDocument doc = sampler.Sample(7, d);
      std::map<int, int> counts;
      std::map<int, std::vector<int>> words;  // query token -> true words, in position order
      for (int i = 0; i < doc.N(); ++i) {
        if (keys == theory::KeySet::kAllPositions || !doc.selected[i]) ++counts[doc.inputs[i]];
        if (doc.selected[i]) words[doc.inputs[i]].push_back(doc.words[i]);
      }
      if (words.empty()) continue;
      REQUIRE(next < objective.documents().size());
      const AttentionDocument& got = objective.documents()[next++];
      REQUIRE(got.key_tokens.size() == counts.size());
      size_t a = 0;
      for (const auto& [token, count] : counts) {
        CHECK(got.key_tokens[a] == token);
        CHECK(got.key_log_weights[static_cast<Eigen::Index>(a)] == std::log(count));
        ++a;
      }
      REQUIRE(got.queries.size() == words.size());
      size_t j = 0;
      for (const auto& [token, list] : words) {
        CHECK(got.queries[j].token == token);
        REQUIRE(got.queries[j].words.size() == list.size());
        for (size_t k = 0; k < list.size(); ++k) {
          CHECK(got.queries[j].words[k].first == list[k]);
          CHECK(got.queries[j].words[k].second == 1.0);
        }
        ++j;
      }
    }
    CHECK(next == objective.documents().size());
  }
}

TEST_CASE("Attention objective: 1 and 2 threads give bit-identical results on a large objective", "[solvers][T3]") {
  // 800 documents of the paper's scenario: well above the work below which Loss stays on one thread.
  const Scenario scenario = theory::PaperSyntheticScenario();
  const int n = scenario.tokens().n();
  const Matrix S = RandomMatrix(n, 3, 2.0), W_V = RandomMatrix(n, 4, 1.0);
  const AttentionObjective one = AttentionObjective::SampleAverage(scenario, 800, 9, 1);
  const AttentionObjective two = AttentionObjective::SampleAverage(scenario, 800, 9, 2);
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    Matrix gs1, gv1, gs2, gv2;
    CHECK(one.Loss(S, W_V, loss, &gs1, &gv1) == two.Loss(S, W_V, loss, &gs2, &gv2));
    CHECK(gs1 == gs2);
    CHECK(gv1 == gv2);
  }
}

}  // namespace
}  // namespace ldaformer::solvers
