// Documents as a shared key multiset plus per-target corrections (key_multiset.hpp), the full model's
// logits over it (multiset_attention.hpp), and the Monte Carlo loss evaluated through both, each against
// the direct computation position by position.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/multiset_attention.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

// Small scenarios: 3 topics, 6 words, 2 specials (so kAllTokens can draw MASK and the other special as
// a replacement), lengths 1..12, masking with every channel present.
Scenario SmallScenario(KeySet keys, ReplacementAlphabet replacement, double p_m = 0.4) {
  return testing::MakeScenario("small", TopicModel::DisjointUniform(3, 6), DocumentPrior::SymmetricDirichlet(3, 0.5),
                               LengthDistribution::Uniform(1, 12),
                               testing::MakeMasking(p_m, 0.2, 0.3, keys, replacement), 2);
}

// The key list of target position i, position by position (the definition the multiset must reproduce).
std::vector<int> DirectKeys(const MaskedDocument& doc, KeySet keys, int i) {
  const bool all = keys == KeySet::kAllPositions;
  std::vector<int> out;
  for (int j = 0; j < doc.N(); ++j) {
    if (j == i) {
      if (all) out.push_back(doc.target_inputs[i]);
    } else if (all || !doc.selected[j]) {
      out.push_back(doc.inputs[j]);
    }
  }
  return out;
}

// The keys a target reads from the multiset: the shared tokens with their counts, changed by its
// correction, sorted.
std::vector<int> CorrectedKeys(const KeyMultiset& ks, const KeyCorrection& c) {
  std::vector<int> out;
  for (size_t a = 0; a < ks.tokens.size(); ++a) out.insert(out.end(), ks.counts[a], ks.tokens[a]);
  if (c.plus >= 0) out.push_back(c.plus);
  if (c.minus >= 0) {
    const auto it = std::find(out.begin(), out.end(), c.minus);
    REQUIRE(it != out.end());
    out.erase(it);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Switches {
  KeySet keys;
  ReplacementAlphabet replacement;
  TargetPositions targets;
};

std::vector<Switches> AllSwitches() {
  std::vector<Switches> out;
  for (KeySet keys : {KeySet::kAllPositions, KeySet::kUnselectedOnly})
    for (ReplacementAlphabet r : {ReplacementAlphabet::kWords, ReplacementAlphabet::kAllTokens})
      for (TargetPositions t : {TargetPositions::kEveryPosition, TargetPositions::kSelected})
        out.push_back({keys, r, t});
  return out;
}

std::string Describe(const Switches& s) {
  return std::string(NameOf(s.keys)) + " " + std::string(NameOf(s.replacement)) + " " +
         (s.targets == TargetPositions::kEveryPosition ? "every-position" : "selected");
}

TEST_CASE("A document's key multiset with corrections gives every target exactly its own keys", "[theory][keys]") {
  for (const Switches& sw : AllSwitches()) {
    const Scenario s = SmallScenario(sw.keys, sw.replacement);
    const DocumentSampler sampler(s);
    for (std::uint64_t d = 0; d < 200; ++d) {
      const MaskedDocument doc = sampler.Sample(7, d);
      const KeyMultiset ks = KeyMultiset::FromDocument(doc, sw.keys, sw.targets);
      INFO(Describe(sw) << ", document " << d);
      // The shared multiset: distinct ascending tokens with positive counts summing to its size.
      REQUIRE(std::is_sorted(ks.tokens.begin(), ks.tokens.end()));
      REQUIRE(std::adjacent_find(ks.tokens.begin(), ks.tokens.end()) == ks.tokens.end());
      int total = 0;
      for (int c : ks.counts) {
        REQUIRE(c >= 1);
        total += c;
      }
      REQUIRE(total == ks.size);
      // The targets: the right positions, in order, each with its query, word and exact key list.
      std::vector<int> positions;
      for (int i = 0; i < doc.N(); ++i) {
        if (sw.targets == TargetPositions::kEveryPosition || doc.selected[i]) positions.push_back(i);
      }
      REQUIRE(ks.targets.size() == positions.size());
      for (size_t t = 0; t < positions.size(); ++t) {
        const KeyTarget& target = ks.targets[t];
        const int i = positions[t];
        REQUIRE(target.position == i);
        CHECK(target.query == doc.target_inputs[i]);
        CHECK(target.word == doc.words[i]);
        CHECK((target.correction.plus < 0 || target.correction.plus != target.correction.minus));
        std::vector<int> direct = DirectKeys(doc, sw.keys, i);
        std::sort(direct.begin(), direct.end());
        CHECK(CorrectedKeys(ks, target.correction) == direct);
        CHECK(ks.KeyCount(target.correction) == static_cast<int>(direct.size()));
      }
      // The groups partition the targets into runs of equal (query, correction), each run once.
      std::vector<int> seen = ks.order;
      std::sort(seen.begin(), seen.end());
      for (size_t t = 0; t < seen.size(); ++t) REQUIRE(seen[t] == static_cast<int>(t));
      int next = 0;
      for (size_t g = 0; g < ks.groups.size(); ++g) {
        const TargetGroup& group = ks.groups[g];
        REQUIRE(group.begin == next);
        REQUIRE(group.end > group.begin);
        next = group.end;
        for (int k = group.begin; k < group.end; ++k) {
          const KeyTarget& target = ks.targets[ks.order[k]];
          CHECK(target.query == group.query);
          CHECK(target.correction == group.correction);
        }
        if (g > 0) {
          const TargetGroup& prev = ks.groups[g - 1];
          CHECK(std::make_tuple(prev.query, prev.correction.plus, prev.correction.minus) <
                std::make_tuple(group.query, group.correction.plus, group.correction.minus));
        }
      }
      REQUIRE(next == static_cast<int>(ks.targets.size()));
    }
  }
}

// The decoders of the tests: identity (d = n) and tied with d = 3 != n.
std::vector<TransformerParams> TestParams(int n, std::uint64_t seed) {
  return {testing::RandomParams(n, n, 2, Decoder::kIdentity, seed),
          testing::RandomParams(n, 3, 2, Decoder::kTied, seed + 10)};
}

TEST_CASE("FromPositions: the keys' inputs as one multiset, targets grouped by the token they show", "[theory][keys]") {
  const std::vector<int> inputs = {4, 1, 4, 7, 1, 4};
  const std::vector<int> words = {0, 1, 2, 3, 4, 5};
  const KeyMultiset ks = KeyMultiset::FromPositions(inputs, words, {0, 2, 3}, {1, 3, 4, 5});
  CHECK(ks.tokens == std::vector<int>{1, 4, 7});  // inputs at positions 1, 3, 4, 5: 1, 7, 1, 4
  CHECK(ks.counts == std::vector<int>{2, 1, 1});
  CHECK(ks.size == 4);
  REQUIRE(ks.targets.size() == 3);
  REQUIRE(ks.groups.size() == 2);  // queries 4 (positions 0 and 2) and 7 (position 3)
  CHECK(ks.groups[0].query == 4);
  CHECK(ks.groups[0].end - ks.groups[0].begin == 2);
  CHECK(ks.groups[1].query == 7);
  for (const TargetGroup& g : ks.groups) {
    CHECK(g.correction == KeyCorrection{});
    for (int k = g.begin; k < g.end; ++k) {
      const KeyTarget& t = ks.targets[ks.order[k]];
      CHECK(t.query == inputs[t.position]);
      CHECK(t.word == words[t.position]);
      CHECK(t.query == g.query);
    }
  }
}

TEST_CASE("GroupLogits equals OneLayerLogits on every target's own key list", "[theory][keys][transformer]") {
  for (const Switches& sw : AllSwitches()) {
    const Scenario s = SmallScenario(sw.keys, sw.replacement);
    const DocumentSampler sampler(s);
    for (const TransformerParams& p : TestParams(s.tokens().n(), 31)) {
      const TokenTables tables = Tabulate(p);
      double worst = 0.0;
      for (std::uint64_t d = 0; d < 100; ++d) {
        const MaskedDocument doc = sampler.Sample(3, d);
        const KeyMultiset ks = KeyMultiset::FromDocument(doc, sw.keys, sw.targets);
        const Matrix y = GroupLogits(tables, ks);
        REQUIRE(y.rows() == s.tokens().n());
        REQUIRE(y.cols() == static_cast<Eigen::Index>(ks.groups.size()));
        for (size_t g = 0; g < ks.groups.size(); ++g) {
          for (int k = ks.groups[g].begin; k < ks.groups[g].end; ++k) {
            const KeyTarget& target = ks.targets[ks.order[k]];
            const Vector direct = OneLayerLogits(tables, target.query, DirectKeys(doc, sw.keys, target.position));
            if (direct.isZero(0.0)) {
              CHECK(y.col(g).isZero(0.0));  // the empty key set
            } else {
              worst = std::max(worst, testing::RelativeMaxError(y.col(g), direct));
            }
          }
        }
      }
      INFO(Describe(sw) << ", decoder " << NameOf(p.decoder) << ": worst relative error " << worst);
      CHECK(worst <= 1e-12);
    }
  }
}

TEST_CASE("GroupLogits sums a group's own keys when the removed key carries most of the weight",
          "[theory][keys][transformer]") {
  // Query 0 scores key 1 by 40 above key 2, so exp(-40) of the shared weight is left once key 1 is
  // removed: subtracting it from the shared sum would leave rounding noise (here 0 / 0).
  const int n = 4;
  TransformerParams p = TransformerParams::UniformAttention(testing::RandomMatrix(n, n, 1.0, 5));
  p.W_K = Matrix::Identity(n, n);
  p.W_Q = Matrix::Zero(n, n);
  p.W_Q(1, 0) = 40.0 * 2.0;  // scores(0, 1) = 40 after the 1 / sqrt(d_k) = 1/2
  p.W_Q(2, 0) = 0.0;
  p.W_Q(3, 0) = -3.0;
  const TokenTables tables = Tabulate(p);
  REQUIRE(tables.scores(0, 1) == 40.0);
  KeyMultiset ks;
  ks.tokens = {1, 2, 3};
  ks.counts = {1, 2, 1};
  ks.size = 4;
  ks.targets = {{0, 0, 0, {-1, 1}}, {1, 0, 2, {-1, 2}}, {2, 0, 3, {}}, {3, 0, 1, {3, 1}}};
  ks.order = {0, 1, 2, 3};
  for (int t = 0; t < 4; ++t) ks.groups.push_back({0, ks.targets[t].correction, t, t + 1});
  const Matrix y = GroupLogits(tables, ks);
  const std::vector<std::vector<int>> keys = {{2, 2, 3}, {1, 2, 3}, {1, 2, 2, 3}, {2, 2, 3, 3}};
  for (int t = 0; t < 4; ++t) {
    INFO("target " << t);
    CHECK(testing::RelativeMaxError(y.col(t), OneLayerLogits(tables, 0, keys[t])) <= 1e-14);
  }
}

TEST_CASE("MonteCarloLoss of the full model equals the direct reference for every switch combination",
          "[theory][keys][transformer]") {
  for (const Switches& sw : AllSwitches()) {
    const Scenario s = SmallScenario(sw.keys, sw.replacement);
    for (const TransformerParams& p : TestParams(s.tokens().n(), 41)) {
      for (LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
        MonteCarloOptions o;
        o.documents = 300;
        o.seed = 9;
        o.targets = sw.targets;
        const ScalarEstimate fast = MonteCarloLoss(s, p, loss, o);
        const ScalarEstimate ref = ReferenceMonteCarloLoss(s, p, loss, o);
        INFO(Describe(sw) << ", decoder " << NameOf(p.decoder) << ", " << NameOf(loss) << ": " << fast.value
                          << " against " << ref.value);
        CHECK(std::abs(fast.value - ref.value) <= 1e-12 * std::abs(ref.value));
        CHECK(std::abs(fast.standard_error - ref.standard_error) <= 1e-9 * ref.standard_error);
        CHECK(fast.targets == ref.targets);
        CHECK(fast.documents == ref.documents);
      }
    }
  }
}

TEST_CASE("MonteCarloLoss of the full model is bit-identical for 1, 2 and 3 threads", "[theory][keys][transformer]") {
  for (KeySet keys : {KeySet::kAllPositions, KeySet::kUnselectedOnly}) {
    const Scenario s = SmallScenario(keys, ReplacementAlphabet::kAllTokens);
    for (const TransformerParams& p : TestParams(s.tokens().n(), 51)) {
      for (LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
        MonteCarloOptions o;
        o.documents = 1000;  // several blocks of the parallel reduction
        o.threads = 1;
        const ScalarEstimate one = MonteCarloLoss(s, p, loss, o);
        for (int threads : {2, 3}) {
          o.threads = threads;
          const ScalarEstimate many = MonteCarloLoss(s, p, loss, o);
          INFO(NameOf(keys) << " " << NameOf(p.decoder) << " " << NameOf(loss) << ", " << threads << " threads");
          CHECK(many.value == one.value);
          CHECK(many.standard_error == one.standard_error);
        }
      }
    }
  }
}

TEST_CASE("With every position selected and unselected keys, every target reads the empty key set (y = 0)",
          "[theory][keys][transformer]") {
  const Scenario s = SmallScenario(KeySet::kUnselectedOnly, ReplacementAlphabet::kWords, /*p_m=*/1.0);
  const int n = s.tokens().n();
  const MaskedDocument doc = DocumentSampler(s).Sample(1, 0);
  const KeyMultiset ks = KeyMultiset::FromDocument(doc, KeySet::kUnselectedOnly, TargetPositions::kEveryPosition);
  CHECK(ks.size == 0);
  CHECK(ks.tokens.empty());
  for (const TargetGroup& group : ks.groups) CHECK(ks.KeyCount(group.correction) == 0);
  for (const TransformerParams& p : TestParams(n, 61)) {
    CHECK(GroupLogits(Tabulate(p), ks).isZero(0.0));
    for (TargetPositions targets : {TargetPositions::kEveryPosition, TargetPositions::kSelected}) {
      MonteCarloOptions o;
      o.documents = 50;
      o.targets = targets;
      // y = 0: the squared loss is ||e_w||^2 = 1 and the cross-entropy log n for every target.
      CHECK(MonteCarloLoss(s, p, LossKind::kSquared, o).value == 1.0);
      CHECK(ReferenceMonteCarloLoss(s, p, LossKind::kSquared, o).value == 1.0);
      CHECK(MonteCarloLoss(s, p, LossKind::kCrossEntropy, o).value == Approx(std::log(double(n))).epsilon(1e-15));
      CHECK(ReferenceMonteCarloLoss(s, p, LossKind::kCrossEntropy, o).value ==
            Approx(std::log(double(n))).epsilon(1e-15));
    }
  }
}

}  // namespace
}  // namespace ldaformer::theory
