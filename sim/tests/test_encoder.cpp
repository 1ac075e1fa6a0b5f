// The multi-layer encoder (LibTorch's automatic differentiation): with one layer, one head and every switch
// off it equals the hand-written one-layer model, objective and gradients, for every switch combination;
// the distinct-token run equals the per-position run; every gradient matches central finite differences for
// every block switch; sums are bit-identical for any thread count.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "ldaformer/sim/encoder.hpp"
#include "ldaformer/sim/encoder_objective.hpp"
#include "ldaformer/sim/objective.hpp"
#include "model_switches.hpp"

using namespace ldaformer;
using namespace ldaformer::sim::testing;
using theory::Matrix;

namespace {

// Every block switch (residual, LayerNorm, feed-forward off / GELU / ReLU, output projection) on a 2-layer,
// 2-head encoder with trainable E, attention and W^V, width d = 4 < n = 8 and the tied decoder.
std::vector<sim::EncoderConfig> BlockConfigs(theory::LossKind loss) {
  std::vector<sim::EncoderConfig> configs;
  for (bool residual : {false, true})
    for (bool layernorm : {false, true})
      for (int ffn : {0, 3, -3})  // -3: width 3 with ReLU
        for (bool projection : {false, true}) {
          sim::EncoderConfig c;
          c.model.embedding = sim::EmbeddingMode::kTrainable;
          c.model.attention = sim::AttentionMode::kTrainable;
          c.model.value = sim::ValueMode::kTrainable;
          c.model.decoder = theory::Decoder::kTied;
          c.model.loss = loss;
          c.model.d = 4;
          c.model.l2 = {0.01, 0.02, 0.03, 0.04};
          c.architecture.layers = 2;
          c.architecture.heads = 2;
          c.architecture.residual = residual;
          c.architecture.layernorm = layernorm;
          c.architecture.ffn = std::abs(ffn);
          c.architecture.activation = ffn < 0 ? sim::Activation::kRelu : sim::Activation::kGelu;
          c.architecture.output_projection = projection;
          configs.push_back(c);
        }
  return configs;
}

std::string DescribeBlock(const sim::EncoderConfig& c) {
  return fmt::format("loss {} residual {} layernorm {} ffn {} {} projection {} input path {}",
                     theory::NameOf(c.model.loss), c.architecture.residual, c.architecture.layernorm,
                     c.architecture.ffn, theory::NameOf(c.architecture.activation), c.architecture.output_projection,
                     c.architecture.input_path);
}

// Parameters far from the start (scale 0.7 everywhere, LayerNorm gains and biases too), so that attention is
// far from uniform and no part sits at a symmetric point.
sim::EncoderParams RandomEncoder(const sim::EncoderConfig& c, const theory::Scenario& s, std::uint64_t seed) {
  sim::EncoderParams p = sim::InitialEncoderParams(c, s.topics, s.tokens(), 0.7, seed);
  theory::Rng rng = theory::StreamFor(seed, 99);
  std::uniform_real_distribution<double> shift(-0.3, 0.3);
  sim::ForEachMatrix(p, [&](const std::string& name, Matrix& M) {
    if (name.find("ln") != std::string::npos || name.find(".b_") != std::string::npos || name.find("input_") == 0) {
      for (Eigen::Index k = 0; k < M.size(); ++k) M.data()[k] += shift(rng);
    }
  });
  return p;
}

// The names and relative errors of every slot of two gradients with the same layout.
void CheckSameGradient(const sim::EncoderParams& a, const sim::EncoderParams& b, double tolerance) {
  std::vector<const Matrix*> other;
  sim::ForEachMatrix(b, [&](const std::string&, const Matrix& M) { other.push_back(&M); });
  std::size_t k = 0;
  sim::ForEachMatrix(a, [&](const std::string& name, const Matrix& M) {
    INFO(name);
    REQUIRE(M.rows() == other[k]->rows());
    REQUIRE(M.cols() == other[k]->cols());
    CHECK(RelativeError(M, *other[k]) < tolerance);
    ++k;
  });
}

// Richardson-extrapolated central differences, D = (4 D(h/2) - D(h)) / 3 with D(h) = (f(x + h) - f(x - h)) / 2h,
// whose truncation error is O(h^4). LayerNorm without a residual can see inputs of small variance, where the
// objective's third derivatives reach 1e7 (plain central differences then miss by 1e-3 at h = 1e-5 while
// converging like h^2 to the autodiff value). The tolerance is 1e-7 of the slot's largest gradient entry
// (at least 1e-7 absolute); a dropped term changes entries by far more.
constexpr double kStep = 1e-5;
constexpr double kTolerance = 1e-7;

// The largest |finite difference - analytic| / max(1, max |analytic| of the slot) over every trained entry.
double MaxGradientError(sim::EncoderParams& p, const sim::EncoderParams& analytic, const sim::EncoderConfig& c,
                        const std::vector<sim::MaskedExample>& batch, std::string* worst_slot) {
  std::vector<const Matrix*> gradients;
  sim::ForEachMatrix(analytic, [&](const std::string&, const Matrix& G) { gradients.push_back(&G); });
  auto central = [&](Matrix& X, Eigen::Index k, double h) {
    const double saved = X.data()[k];
    X.data()[k] = saved + h;
    const double up = sim::EvaluateEncoder(p, c, batch, nullptr).objective;
    X.data()[k] = saved - h;
    const double down = sim::EvaluateEncoder(p, c, batch, nullptr).objective;
    X.data()[k] = saved;
    return (up - down) / (2 * h);
  };
  double worst = 0.0;
  std::size_t slot = 0;
  sim::ForEachMatrix(p, [&](const std::string& name, Matrix& X) {
    const Matrix& G = *gradients[slot++];
    if (X.size() == 0 || !sim::IsTrained(c, name)) return;
    REQUIRE(G.size() == X.size());
    const double scale = std::max(1.0, G.cwiseAbs().maxCoeff());
    for (Eigen::Index k = 0; k < X.size(); ++k) {
      const double fd = (4 * central(X, k, kStep / 2) - central(X, k, kStep)) / 3;
      const double error = std::abs(fd - G.data()[k]) / scale;
      if (error > worst) {
        worst = error;
        *worst_slot = name;
      }
    }
  });
  return worst;
}

}  // namespace

TEST_CASE("encoder: one layer, one head, every switch off equals the hand-written model for every switch",
          "[sim][encoder][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    for (auto alphabet : {theory::ReplacementAlphabet::kAllTokens, theory::ReplacementAlphabet::kWords}) {
      theory::Scenario s = SmallScenario(keys);
      s.masking.replacement = alphabet;
      const auto batch = Examples(s, 12, 5);
      for (const sim::ModelConfig& model : AllConfigs()) {
        INFO(Describe(model) << " keys " << theory::NameOf(keys) << " alphabet " << theory::NameOf(alphabet));
        sim::EncoderConfig c;
        c.model = model;
        REQUIRE(c.architecture.IsOneLayerModel());
        const theory::TransformerParams one = sim::InitialParams(c.model, s.topics, s.tokens(), 0.7, 11);
        sim::ModelGradient hand;
        const sim::Evaluation e = sim::EvaluateObjective(one, c.model, batch, &hand);
        sim::EncoderParams torch_gradient;
        const sim::Evaluation t = sim::EvaluateEncoder(sim::EncoderFromOneLayer(one), c, batch, &torch_gradient);
        CHECK(t.targets == e.targets);
        CHECK(t.objective == Approx(e.objective).epsilon(1e-12).margin(0.0));
        CHECK(t.penalty == Approx(e.penalty).epsilon(1e-14).margin(0.0));
        sim::EncoderParams hand_layout;
        hand_layout.E = hand.E;
        hand_layout.layers.push_back({hand.W_K, hand.W_Q, hand.W_V, {}, {}, {}, {}, {}, {}, {}, {}, {}});
        CheckSameGradient(torch_gradient, hand_layout, 1e-12);
      }
    }
  }
}

TEST_CASE("encoder: the distinct-token run equals the per-position run", "[sim][encoder][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const theory::Scenario s = SmallScenario(keys);
    const auto batch = Examples(s, 20, 7);
    for (auto loss : {theory::LossKind::kSquared, theory::LossKind::kCrossEntropy}) {
      for (const sim::EncoderConfig& c : BlockConfigs(loss)) {
        INFO(DescribeBlock(c) << " keys " << theory::NameOf(keys));
        const sim::EncoderParams p = RandomEncoder(c, s, 3);
        sim::EncoderParams distinct, positions;
        const double a = sim::EvaluateEncoder(p, c, batch, &distinct, 1, sim::EncoderRun::kDistinctTokens).objective;
        const double b = sim::EvaluateEncoder(p, c, batch, &positions, 1, sim::EncoderRun::kPositions).objective;
        CHECK(a == Approx(b).epsilon(1e-12).margin(0.0));
        CheckSameGradient(distinct, positions, 1e-12);
      }
    }
  }
}

TEST_CASE("encoder: the distinct-token run is not the per-position run without count weights (negative control)",
          "[sim][encoder][gradient]") {
  // Counting every key token once (as a set, not a multiset) must change the objective: the weights matter.
  const theory::Scenario s = SmallScenario(theory::KeySet::kAllPositions);
  auto batch = Examples(s, 20, 7);
  const sim::EncoderConfig c = BlockConfigs(theory::LossKind::kCrossEntropy).back();
  const sim::EncoderParams p = RandomEncoder(c, s, 3);
  const double positions = sim::EvaluateEncoder(p, c, batch, nullptr, 1, sim::EncoderRun::kPositions).objective;
  for (auto& ex : batch) {
    std::vector<int> seen, keys;
    for (int j : ex.keys) {
      if (std::find(seen.begin(), seen.end(), ex.inputs[j]) == seen.end()) {
        seen.push_back(ex.inputs[j]);
        keys.push_back(j);
      }
    }
    ex.keys = keys;
  }
  const double sets = sim::EvaluateEncoder(p, c, batch, nullptr, 1, sim::EncoderRun::kDistinctTokens).objective;
  CHECK(std::abs(sets - positions) > 1e-6);
}

TEST_CASE("encoder: gradients match central finite differences for every block switch", "[sim][encoder][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const theory::Scenario s = SmallScenario(keys);
    const auto batch = Examples(s, 6, 9);
    for (auto loss : {theory::LossKind::kSquared, theory::LossKind::kCrossEntropy}) {
      for (const sim::EncoderConfig& c : BlockConfigs(loss)) {
        INFO(DescribeBlock(c) << " keys " << theory::NameOf(keys));
        sim::EncoderParams p = RandomEncoder(c, s, 5);
        sim::EncoderParams g;
        sim::EvaluateEncoder(p, c, batch, &g);
        std::string slot;
        const double error = MaxGradientError(p, g, c, batch, &slot);
        INFO("worst slot " << slot);
        CHECK(error < kTolerance);
      }
    }
  }
}

TEST_CASE("encoder: the authors' input path (vector, then LayerNorm) against finite differences and positions",
          "[sim][encoder][gradient]") {
  for (auto keys : {theory::KeySet::kAllPositions, theory::KeySet::kUnselectedOnly}) {
    const theory::Scenario s = SmallScenario(keys);
    const auto batch = Examples(s, 6, 9);
    // Every part on, and the authors' own setting: one layer, one-hot E, uniform attention, only W^V trained.
    sim::EncoderConfig every = BlockConfigs(theory::LossKind::kCrossEntropy).back();
    sim::EncoderConfig authors;
    authors.model.embedding = sim::EmbeddingMode::kOneHot;
    authors.model.attention = sim::AttentionMode::kUniform;
    for (sim::EncoderConfig c : {every, authors}) {
      c.architecture.input_path = true;
      INFO(DescribeBlock(c) << " keys " << theory::NameOf(keys));
      REQUIRE_FALSE(c.architecture.IsOneLayerModel());
      sim::EncoderParams p = RandomEncoder(c, s, 5);
      p.input_vector = Matrix::Constant(p.d(), 1, 0.3);
      p.input_vector(0, 0) = -0.4;
      sim::EncoderParams g, positions;
      sim::EvaluateEncoder(p, c, batch, &g);
      CHECK(g.input_vector.size() == p.d());
      std::string slot;
      CHECK(MaxGradientError(p, g, c, batch, &slot) < kTolerance);
      sim::EvaluateEncoder(p, c, batch, &positions, 1, sim::EncoderRun::kPositions);
      CheckSameGradient(g, positions, 1e-12);
    }
  }
}

TEST_CASE("encoder: PyTorch's default initialisation is uniform on +-1/sqrt(columns), whatever the scale",
          "[sim][encoder]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  const sim::EncoderConfig c = BlockConfigs(theory::LossKind::kCrossEntropy).back();
  const auto init = [&](double scale) {
    return sim::InitialEncoderParams(c, s.topics, s.tokens(), scale, 3, sim::Initialisation::kPyTorch);
  };
  const sim::EncoderParams a = init(1e-3), b = init(1.0);
  CHECK(a.layers[1].W_1 == b.layers[1].W_1);
  const double bound = 1.0 / std::sqrt(4.0);  // W_1 is 3 x 4
  CHECK(a.layers[1].W_1.cwiseAbs().maxCoeff() <= bound);
  CHECK(a.layers[1].W_1.cwiseAbs().maxCoeff() > 0.5 * bound);
  // The scaled-normal start has the same direction for every scale.
  const sim::EncoderParams small = sim::InitialEncoderParams(c, s.topics, s.tokens(), 1e-3, 3);
  const sim::EncoderParams large = sim::InitialEncoderParams(c, s.topics, s.tokens(), 1.0, 3);
  CHECK((small.layers[0].W_K * 1e3 - large.layers[0].W_K).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("encoder: the finite-difference check catches a wrong gradient entry (negative control)",
          "[sim][encoder][gradient]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  const auto batch = Examples(s, 6, 9);
  const sim::EncoderConfig c = BlockConfigs(theory::LossKind::kCrossEntropy).back();
  sim::EncoderParams p = RandomEncoder(c, s, 5);
  sim::EncoderParams g;
  sim::EvaluateEncoder(p, c, batch, &g);
  g.layers[1].W_1(0, 0) += 1e-5;
  std::string slot;
  CHECK(MaxGradientError(p, g, c, batch, &slot) > kTolerance);
  CHECK(slot == "layer2.W_1");
}

TEST_CASE("encoder: the sums are bit-identical for 1, 2 and 3 threads", "[sim][encoder][reproducibility]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  const auto batch = Examples(s, 45, 13);  // 6 chunks of at most 8 examples
  const sim::EncoderConfig c = BlockConfigs(theory::LossKind::kCrossEntropy).back();
  const sim::EncoderParams p = RandomEncoder(c, s, 5);
  sim::EncoderParams one;
  const double e1 = sim::EvaluateEncoder(p, c, batch, &one, 1).objective;
  for (int threads : {2, 3}) {
    INFO("threads " << threads);
    sim::EncoderParams g;
    CHECK(sim::EvaluateEncoder(p, c, batch, &g, threads).objective == e1);
    std::vector<const Matrix*> expected;
    sim::ForEachMatrix(one, [&](const std::string&, const Matrix& M) { expected.push_back(&M); });
    std::size_t k = 0;
    sim::ForEachMatrix(g, [&](const std::string& name, const Matrix& M) {
      INFO(name);
      CHECK(M == *expected[k++]);
    });
  }
}

TEST_CASE("encoder: one layer's attention on whole documents is the score table's softmax", "[sim][encoder]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  sim::EncoderConfig c;
  c.model.attention = sim::AttentionMode::kTrainable;
  c.model.d_k = 3;
  const theory::TransformerParams one = sim::InitialParams(c.model, s.topics, s.tokens(), 0.7, 11);
  const Matrix S = theory::Tabulate(one).scores;
  std::vector<std::vector<int>> documents;
  for (const sim::MaskedExample& ex : Examples(s, 20, 3)) documents.push_back(ex.words);
  const auto attention = sim::EncoderAttention(sim::EncoderFromOneLayer(one), c, documents, 2);
  REQUIRE(attention.size() == documents.size());
  for (std::size_t d = 0; d < documents.size(); ++d) {
    const sim::DocumentLayerAttention& a = attention[d];
    REQUIRE(a.layers.size() == 1);
    for (std::size_t k = 0; k < a.tokens.size(); ++k) {
      double Z = 0.0, total = 0.0;
      for (int w : documents[d]) Z += std::exp(S(a.tokens[k], w));
      for (std::size_t l = 0; l < a.tokens.size(); ++l) {
        CHECK(a.layers[0](k, l) == Approx(std::exp(S(a.tokens[k], a.tokens[l])) / Z).epsilon(1e-12));
        total += a.counts[l] * a.layers[0](k, l);
      }
      CHECK(total == Approx(1.0).epsilon(1e-12));
    }
    int positions = 0;
    for (int count : a.counts) positions += count;
    CHECK(positions == static_cast<int>(documents[d].size()));
  }
}

TEST_CASE("encoder: bad switches are rejected with the field and the value", "[sim][encoder][validation]") {
  const theory::Scenario s = SmallScenario(theory::KeySet::kUnselectedOnly);
  sim::EncoderConfig c;
  c.model.decoder = theory::Decoder::kTied;
  c.model.d = 4;
  c.architecture.heads = 3;
  CHECK_THROWS_WITH(c.Validate(s.tokens()), "training.heads must be >= 1 and divide d = 4, got 3");
  c.architecture.heads = 2;
  c.architecture.layers = 0;
  CHECK_THROWS_WITH(c.Validate(s.tokens()), "training.layers must be in 1..64, got 0");
  c.architecture.layers = 2;
  c.architecture.ffn = -1;
  CHECK_THROWS_WITH(c.Validate(s.tokens()), "training.ffn must be in 0..65536 (0: off), got -1");
  c.architecture.ffn = 8;
  CHECK_NOTHROW(c.Validate(s.tokens()));
}
