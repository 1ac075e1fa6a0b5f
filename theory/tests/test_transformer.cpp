// The one-layer transformer: forward pass, and its Monte Carlo loss against exact enumeration.
#include <catch2/catch.hpp>

#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

// docs/MODEL.md written out with the full matrices, independently of TokenTables.
Vector ReferenceLogits(const TransformerParams& p, int query, const std::vector<int>& keys) {
  const int n = p.n();
  auto h = [&](int token) -> Vector { return p.E * Vector::Unit(n, token); };
  Vector u = Vector::Zero(p.d());
  if (!keys.empty()) {
    std::vector<double> s;
    for (int key : keys) s.push_back((p.W_K * h(key)).dot(p.W_Q * h(query)) / std::sqrt(double(p.d_k())));
    double z = 0.0;
    for (double x : s) z += std::exp(x);
    for (size_t j = 0; j < keys.size(); ++j) u += std::exp(s[j]) / z * (p.W_V * h(keys[j]));
  }
  const Matrix W_O = p.decoder == Decoder::kIdentity ? Matrix(Matrix::Identity(n, n)) : Matrix(p.E.transpose());
  return W_O * u;
}

TEST_CASE("Tabulated forward pass equals the formula of docs/MODEL.md", "[theory][transformer]") {
  for (Decoder decoder : {Decoder::kIdentity, Decoder::kTied}) {
    const int n = 7;
    const TransformerParams p = testing::RandomParams(n, decoder == Decoder::kIdentity ? n : 3, 2, decoder, 4);
    const TokenTables tables = Tabulate(p);
    for (const std::vector<int>& keys : {std::vector<int>{}, std::vector<int>{2}, std::vector<int>{0, 6, 6, 3, 1}}) {
      for (int query : {0, 5}) {
        CHECK(testing::RelativeMaxError(OneLayerLogits(tables, query, keys), ReferenceLogits(p, query, keys)) <= 1e-13);
      }
    }
  }
}

TEST_CASE("With uniform attention the full model reproduces the linear predictor exactly", "[theory][transformer]") {
  for (KeySet keys : {KeySet::kAllPositions, KeySet::kUnselectedOnly}) {
    const Scenario s =
        testing::MakeScenario("uniform", TopicModel::DisjointUniform(3, 6), DocumentPrior::SymmetricDirichlet(3, 0.3),
                              LengthDistribution::Uniform(1, 12), testing::MakeMasking(0.4, 0.1, 0.2, keys), 2);
    const int n = s.tokens().n();
    const Matrix W_V = testing::RandomMatrix(n, n, 0.5, 8);
    MonteCarloOptions o;
    o.documents = 2000;
    for (LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
      // Same seed, same documents: the two estimators differ only by rounding.
      const ScalarEstimate full = MonteCarloLoss(s, TransformerParams::UniformAttention(W_V, 3), loss, o);
      const ScalarEstimate linear = MonteCarloLoss(s, LinearPredictor{W_V, Vector::Zero(n)}, loss, o);
      CHECK(full.value == Approx(linear.value).epsilon(1e-12));
      CHECK(full.standard_error == Approx(linear.standard_error).epsilon(1e-9));
    }
  }
}

// The exact per-token loss for N = 2 by enumeration: the target and one other position, words drawn
// with P2, inputs through their channels, attention computed by ReferenceLogits.
double ExactLossTwoTokens(const Scenario& s, const TransformerParams& p, LossKind loss) {
  const int v = s.topics.v, n = s.tokens().n();
  const Matrix P2 = s.topics.beta.transpose() * s.prior.SecondMoment() * s.topics.beta;
  const Channel target = TargetChannel(s.masking), other = OtherChannel(s.masking);
  auto shows = [&](const Channel& ch, int word, int x) {
    const double r = s.masking.replacement == ReplacementAlphabet::kWords ? (x < v ? 1.0 / v : 0.0) : 1.0 / n;
    return ch.word * (x == word) + ch.random * r + ch.mask * (x == s.tokens().mask());
  };
  double total = 0.0;
  for (int w = 0; w < v; ++w) {
    for (int w2 = 0; w2 < v; ++w2) {
      for (int x = 0; x < n; ++x) {
        const double px = P2(w, w2) * shows(target, w, x);
        if (px == 0.0) continue;
        if (s.masking.keys == KeySet::kUnselectedOnly) {
          // The other position is a key (showing its word) only if it was not selected.
          total += px * (1.0 - s.masking.p_m) * TokenLoss(loss, ReferenceLogits(p, x, {w2}), w);
          total += px * s.masking.p_m * TokenLoss(loss, ReferenceLogits(p, x, {}), w);
          continue;
        }
        for (int x2 = 0; x2 < n; ++x2) {
          total += px * shows(other, w2, x2) * TokenLoss(loss, ReferenceLogits(p, x, {x, x2}), w);
        }
      }
    }
  }
  return total;
}

TEST_CASE("Full-model Monte Carlo loss agrees with exact enumeration at N = 2", "[theory][transformer]") {
  for (KeySet keys : {KeySet::kAllPositions, KeySet::kUnselectedOnly}) {
    for (Decoder decoder : {Decoder::kIdentity, Decoder::kTied}) {
      const Scenario s = testing::MakeScenario(
          "two-tokens", TopicModel::DisjointUniform(2, 4), DocumentPrior::SymmetricDirichlet(2, 0.2),
          LengthDistribution::Fixed(2), testing::MakeMasking(0.3, 0.2, 0.3, keys, ReplacementAlphabet::kAllTokens), 2);
      const int n = s.tokens().n();
      const TransformerParams p = testing::RandomParams(n, decoder == Decoder::kIdentity ? n : 3, 2, decoder, 21);
      for (LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
        const double exact = ExactLossTwoTokens(s, p, loss);
        MonteCarloOptions o;
        o.documents = 40000;
        const ScalarEstimate mc = MonteCarloLoss(s, p, loss, o);
        INFO(NameOf(keys) << " " << NameOf(decoder) << " " << NameOf(loss) << ": exact " << exact << " mc " << mc.value
                          << " +- " << mc.standard_error);
        CHECK(std::abs(mc.value - exact) <= 4.0 * mc.standard_error);
        // Negative control: the same check rejects the loss of different parameters.
        const double other = ExactLossTwoTokens(s, testing::RandomParams(n, p.d(), 2, decoder, 22), loss);
        CHECK(std::abs(mc.value - other) > 4.0 * mc.standard_error);
      }
    }
  }
}

TEST_CASE("Parameters with shapes that do not fit are rejected with their names", "[theory][transformer]") {
  TransformerParams p = testing::RandomParams(5, 5, 2, Decoder::kIdentity, 1);
  p.W_V = Matrix::Zero(4, 5);
  CHECK_THROWS_WITH(p.Validate(), Catch::Contains("params.W_V must be 5x5, got 4x5"));
  p = testing::RandomParams(5, 3, 2, Decoder::kTied, 1);
  p.decoder = Decoder::kIdentity;
  CHECK_THROWS_WITH(p.Validate(), Catch::Contains("identity decoder needs d = n"));
  p = testing::RandomParams(5, 5, 2, Decoder::kIdentity, 1);
  p.E(0, 0) = std::nan("");
  CHECK_THROWS_WITH(p.Validate(), Catch::Contains("params.E has a non-finite entry"));
}

}  // namespace
}  // namespace ldaformer::theory
