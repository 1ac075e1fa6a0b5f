// The hand-written forward and backward passes: the forward pass against theory's reference
// (TokenTables / OneLayerLogits / TokenLoss), the gradient against central finite differences for every
// combination of the model's switches, and bit-identical sums for any thread count.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/length_distribution.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "model_switches.hpp"

using namespace ldaformer;
using theory::Matrix;
using namespace ldaformer::sim::testing;

namespace {

// Every matrix random (scale 0.7, so attention is far from uniform), then frozen ones reset.
theory::TransformerParams RandomParams(const sim::ModelConfig& config, const theory::Scenario& s) {
  theory::TransformerParams p = sim::InitialParams(config, s.topics, s.tokens(), 0.7, 11);
  return p;
}

// The reference: theory's forward pass, averaged over the targets, plus the penalty.
double ReferenceObjective(const theory::TransformerParams& p, const sim::ModelConfig& c,
                          const std::vector<sim::MaskedExample>& batch) {
  theory::TransformerParams reference = p;
  const theory::TokenTables tables = theory::Tabulate(reference);
  double sum = 0.0;
  int targets = 0;
  for (const auto& ex : batch) {
    std::vector<int> keys;
    for (int j : ex.keys) keys.push_back(ex.inputs[j]);
    for (int i : ex.targets) {
      sum += theory::TokenLoss(c.loss, theory::OneLayerLogits(tables, ex.inputs[i], keys), ex.words[i]);
      ++targets;
    }
  }
  double penalty = 0.0;
  if (c.TrainsEmbedding()) penalty += c.l2.E * p.E.squaredNorm();
  if (c.TrainsAttention()) penalty += c.l2.W_K * p.W_K.squaredNorm() + c.l2.W_Q * p.W_Q.squaredNorm();
  if (c.TrainsValue()) penalty += c.l2.W_V * p.W_V.squaredNorm();
  return sum / targets + penalty;
}

// Central differences: the truncation error is O(h^2 |f'''|) ~ 1e-10 at h = 1e-5 for these O(1)
// functions, the rounding error about eps |f| / h ~ 1e-11; 1e-7 absolute leaves a wide margin while
// still catching a wrong term (a dropped factor changes entries by O(0.01) or more).
constexpr double kStep = 1e-5;
constexpr double kTolerance = 1e-7;

// The largest |finite difference - analytic| over every entry of X.
double MaxGradientError(theory::TransformerParams& p, Matrix& X, const Matrix& analytic, const sim::ModelConfig& c,
                        const std::vector<sim::MaskedExample>& batch) {
  double worst = 0.0;
  for (Eigen::Index k = 0; k < X.size(); ++k) {
    const double saved = X.data()[k];
    X.data()[k] = saved + kStep;
    const double up = sim::EvaluateObjective(p, c, batch, nullptr).objective;
    X.data()[k] = saved - kStep;
    const double down = sim::EvaluateObjective(p, c, batch, nullptr).objective;
    X.data()[k] = saved;
    worst = std::max(worst, std::abs((up - down) / (2 * kStep) - analytic.data()[k]));
  }
  return worst;
}

}  // namespace

TEST_CASE("objective: the forward pass matches theory's reference model", "[sim][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const theory::Scenario s = SmallScenario(keys);
    const auto batch = Examples(s, 12, 5);
    for (const sim::ModelConfig& c : AllConfigs()) {
      INFO(Describe(c) << " keys " << theory::NameOf(keys));
      const theory::TransformerParams p = RandomParams(c, s);
      const sim::Evaluation e = sim::EvaluateObjective(p, c, batch, nullptr);
      CHECK(e.objective == Approx(ReferenceObjective(p, c, batch)).epsilon(1e-12));
    }
  }
}

void CheckKernelAgainstReference(const theory::TransformerParams& p, const sim::ModelConfig& c,
                                 const std::vector<sim::MaskedExample>& batch, int threads) {
  sim::ModelGradient kernel, reference;
  const sim::Evaluation e = sim::EvaluateObjective(p, c, batch, &kernel, threads);
  const sim::Evaluation r = sim::ReferenceEvaluateObjective(p, c, batch, &reference, threads);
  CHECK(e.targets == r.targets);
  CHECK(e.objective == Approx(r.objective).epsilon(1e-12).margin(0.0));
  CHECK(e.penalty == r.penalty);
  CHECK(RelativeError(kernel.E, reference.E) < 1e-12);
  CHECK(RelativeError(kernel.W_K, reference.W_K) < 1e-12);
  CHECK(RelativeError(kernel.W_Q, reference.W_Q) < 1e-12);
  CHECK(RelativeError(kernel.W_V, reference.W_V) < 1e-12);
}

// The objective and every gradient matrix bit-identical on each of `threads` and on 1 thread.
void CheckSameForThreads(const theory::TransformerParams& p, const sim::ModelConfig& c,
                         const std::vector<sim::MaskedExample>& batch, const std::vector<int>& threads) {
  sim::ModelGradient one;
  const double e1 = sim::EvaluateObjective(p, c, batch, &one, 1).objective;
  for (int t : threads) {
    INFO("threads " << t);
    sim::ModelGradient g;
    CHECK(sim::EvaluateObjective(p, c, batch, &g, t).objective == e1);
    CHECK(g.E == one.E);
    CHECK(g.W_K == one.W_K);
    CHECK(g.W_Q == one.W_Q);
    CHECK(g.W_V == one.W_V);
  }
}

TEST_CASE("objective: the key-multiset kernel equals the direct computation for every switch", "[sim][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    for (auto alphabet : {theory::ReplacementAlphabet::kAllTokens, theory::ReplacementAlphabet::kWords}) {
      theory::Scenario s = SmallScenario(keys);
      s.masking.replacement = alphabet;
      const auto batch = Examples(s, 12, 5);
      for (const sim::ModelConfig& c : AllConfigs()) {
        INFO(Describe(c) << " keys " << theory::NameOf(keys) << " alphabet " << theory::NameOf(alphabet));
        CheckKernelAgainstReference(RandomParams(c, s), c, batch, 1);
      }
    }
  }
}

TEST_CASE("objective: the kernel's example grouping is checked (negative control)", "[sim][gradient]") {
  // A wrong word in one example changes the kernel's value: the comparison above can fail.
  const theory::Scenario s = SmallScenario(theory::KeySet::kAllPositions);
  auto batch = Examples(s, 12, 5);
  sim::ModelConfig c;
  c.attention = sim::AttentionMode::kTrainable;
  const theory::TransformerParams p = RandomParams(c, s);
  const double right = sim::EvaluateObjective(p, c, batch, nullptr).objective;
  batch[3].words[batch[3].targets.at(0)] = (batch[3].words[batch[3].targets.at(0)] + 1) % s.topics.v;
  CHECK(std::abs(sim::EvaluateObjective(p, c, batch, nullptr).objective - right) > 1e-6);
}

TEST_CASE("objective: at the paper's size the kernel equals the direct computation on 1 and 2 threads",
          "[sim][gradient][reproducibility]") {
  // A minibatch of 40 paper-scenario documents is large enough for the kernel to start threads.
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.masking.keys = theory::KeySet::kUnselectedOnly;
  const theory::Corpus corpus = theory::SampleCorpus(s, 40, 3);
  std::vector<sim::MaskedExample> batch;
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    theory::Rng rng = theory::StreamFor(4, d);
    batch.push_back(sim::MaskDocument(corpus.documents[d], s.masking, s.tokens(), rng));
  }
  sim::ModelConfig c;
  c.attention = sim::AttentionMode::kTrainable;
  c.decoder = theory::Decoder::kTied;
  c.d = 20;
  c.d_k = 10;
  const theory::TransformerParams p = sim::InitialParams(c, s.topics, s.tokens(), 0.3, 5);
  CheckKernelAgainstReference(p, c, batch, 2);
  CheckSameForThreads(p, c, batch, {2});
}

TEST_CASE("objective: a target whose keys differ from the shared multiset is refused", "[sim][validation]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kAllPositions);
  theory::MaskedDocument doc;
  doc.words = {0, 1, 2};
  doc.selected = {1, 0, 0};
  doc.inputs = {s.tokens().mask(), 1, 2};
  doc.target_inputs = {s.tokens().mask(), 3, 2};  // position 1 would show 3 as a target: a correction
  const theory::KeyMultiset keys =
      theory::KeyMultiset::FromDocument(doc, theory::KeySet::kAllPositions, theory::TargetPositions::kEveryPosition);
  sim::ModelConfig c;
  const theory::TransformerParams p = RandomParams(c, s);
  CHECK_THROWS_WITH(sim::EvaluateObjective(p, c, {&keys}, nullptr), Catch::Contains("correction"));
}

TEST_CASE("objective: an empty key set gives y = 0 and no gradient", "[sim][gradient]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  sim::MaskedExample ex;
  ex.words = {0, 4};
  ex.inputs = {s.tokens().mask(), 2};
  ex.targets = {0, 1};
  sim::ModelConfig c;
  c.attention = sim::AttentionMode::kTrainable;
  c.loss = theory::LossKind::kSquared;
  const theory::TransformerParams p = RandomParams(c, s);
  sim::ModelGradient g;
  const sim::Evaluation e = sim::EvaluateObjective(p, c, {ex}, &g);
  CHECK(e.targets == 2);
  CHECK(e.data_loss == 1.0);  // ||0 - e_w||^2
  CHECK(g.E.isZero(0.0));
  CHECK(g.W_V.isZero(0.0));
}

TEST_CASE("objective: gradients match central finite differences for every switch", "[sim][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const theory::Scenario s = SmallScenario(keys);
    const auto batch = Examples(s, 6, 9);
    for (const sim::ModelConfig& c : AllConfigs()) {
      INFO(Describe(c) << " keys " << theory::NameOf(keys));
      theory::TransformerParams p = RandomParams(c, s);
      sim::ModelGradient g;
      sim::EvaluateObjective(p, c, batch, &g);
      if (c.TrainsEmbedding()) CHECK(MaxGradientError(p, p.E, g.E, c, batch) < kTolerance);
      if (c.TrainsAttention()) {
        CHECK(MaxGradientError(p, p.W_K, g.W_K, c, batch) < kTolerance);
        CHECK(MaxGradientError(p, p.W_Q, g.W_Q, c, batch) < kTolerance);
      }
      if (c.TrainsValue()) CHECK(MaxGradientError(p, p.W_V, g.W_V, c, batch) < kTolerance);
      // Frozen matrices get no gradient.
      if (!c.TrainsEmbedding()) CHECK(g.E.size() == 0);
      if (!c.TrainsAttention()) CHECK((g.W_K.size() == 0 && g.W_Q.size() == 0));
      if (!c.TrainsValue()) CHECK(g.W_V.size() == 0);
    }
  }
}

TEST_CASE("objective: the finite-difference check catches a wrong gradient entry (negative control)",
          "[sim][gradient]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kAllPositions);
  const auto batch = Examples(s, 6, 9);
  sim::ModelConfig c;
  c.attention = sim::AttentionMode::kTrainable;
  theory::TransformerParams p = RandomParams(c, s);
  sim::ModelGradient g;
  sim::EvaluateObjective(p, c, batch, &g);
  REQUIRE(MaxGradientError(p, p.W_K, g.W_K, c, batch) < kTolerance);
  g.W_K(1, 2) += 1e-5;  // far below any real modelling error
  CHECK(MaxGradientError(p, p.W_K, g.W_K, c, batch) > kTolerance);
}

TEST_CASE("objective: the sums are bit-identical for 1, 2 and 3 threads", "[sim][reproducibility]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kAllPositions);
  const auto batch = Examples(s, 37, 2);  // several blocks of 8, the last one partial
  sim::ModelConfig c;
  c.attention = sim::AttentionMode::kTrainable;
  c.decoder = theory::Decoder::kTied;
  CheckSameForThreads(RandomParams(c, s), c, batch, {2, 3});
}

TEST_CASE("model: bad switches are rejected with the field and the value", "[sim][validation]") {
  const theory::TokenSpace tokens{100, 1};
  sim::ModelConfig c;
  c.d = 20;
  CHECK_THROWS_WITH(c.Validate(tokens),
                    Catch::Contains("model.d must equal n = 101 with the identity decoder, got d=20"));
  c.decoder = theory::Decoder::kTied;
  c.value = sim::ValueMode::kBlock;
  CHECK_THROWS_WITH(c.Validate(tokens), Catch::Contains("with the frozen block W^V, got d=20"));
  c = sim::ModelConfig{};
  c.l2.W_V = -1.0;
  CHECK_THROWS_WITH(c.Validate(tokens), Catch::Contains("model.l2.W_V must be finite and >= 0, got -1"));
  c = sim::ModelConfig{};
  c.embedding = sim::EmbeddingMode::kOneHot;
  c.value = sim::ValueMode::kIdentity;
  CHECK_THROWS_WITH(c.Validate(tokens), Catch::Contains("nothing to train"));
}

TEST_CASE("model: the frozen block W^V is the same-topic indicator on words", "[sim]") {
  const theory::TopicModel topics = theory::TopicModel::DisjointUniform(2, 4);
  const Matrix B = sim::SameTopicIndicator(topics, 5);
  Matrix expected = Matrix::Zero(5, 5);
  expected.topLeftCorner(2, 2).setOnes();
  expected.block(2, 2, 2, 2).setOnes();
  CHECK(B == expected);
}
