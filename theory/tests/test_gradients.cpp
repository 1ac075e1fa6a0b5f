// Hand-written gradients (the exact squared loss, the chain rule through the attention scores) against
// central finite differences.
#include <cmath>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/theory/score_gradient.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

// The loss is quadratic, so central differences have no truncation error: what remains is rounding,
// about eps * |L| / h.
constexpr double kStep = 1e-3;
constexpr double kTolerance = 1e-8;

template <class Loss>
double CentralDifference(Loss loss, double& coordinate) {
  const double saved = coordinate;
  coordinate = saved + kStep;
  const double up = loss();
  coordinate = saved - kStep;
  const double down = loss();
  coordinate = saved;
  return (up - down) / (2 * kStep);
}

TEST_CASE("Dense and structured gradients match finite differences", "[theory][gradient]") {
  for (const Scenario& s : testing::ExactnessGrid()) {
    INFO(s.Describe());
    const int n = s.tokens().n();
    const SecondMoments dense = ExactSecondMoments(s);
    LinearPredictor p = LinearPredictor::Random(n, 3);
    // Every entry of b and a spread of entries of M: off the diagonal, on it, and the special-token block.
    const auto check_gradient = [&](auto loss, const LinearPredictor& grad) {
      for (int i = 0; i < n; ++i) {
        CHECK(CentralDifference(loss, p.b[i]) == Approx(grad.b[i]).margin(kTolerance));
        const int j = (3 * i + 1) % n;
        CHECK(CentralDifference(loss, p.M(i, j)) == Approx(grad.M(i, j)).margin(kTolerance));
        CHECK(CentralDifference(loss, p.M(i, i)) == Approx(grad.M(i, i)).margin(kTolerance));
        CHECK(CentralDifference(loss, p.M(j, n - 1)) == Approx(grad.M(j, n - 1)).margin(kTolerance));
      }
    };
    LinearPredictor grad;
    ExactSquaredLoss(dense, p, &grad);
    check_gradient([&] { return ExactSquaredLoss(dense, p); }, grad);
    if (!s.HasTopicBlockStructure()) continue;
    const StructuredSecondMoments structured = ExactStructuredSecondMoments(s);
    LinearPredictor g_structured;
    ExactSquaredLoss(structured, p, &g_structured);
    check_gradient([&] { return ExactSquaredLoss(structured, p); }, g_structured);
  }
}

TEST_CASE("Block-coefficient gradients match finite differences", "[theory][gradient][structured]") {
  for (const Scenario& s : testing::ExactnessGrid()) {
    if (!s.HasTopicBlockStructure()) continue;
    INFO(s.Describe());
    const StructuredSecondMoments mo = ExactStructuredSecondMoments(s);
    const int sp = s.num_special;
    BlockLinearPredictor p{TopicBlockMatrix::Zero(s.topics.T, s.topics.m(), sp), TopicBlockVector::Zero(sp)};
    p.M.a = 0.7;
    p.M.b = -0.2;
    p.M.c = 0.05;
    p.M.f.setConstant(0.1);
    p.M.g.setConstant(-0.3);
    p.M.S.setConstant(0.4);
    p.b.w = 0.02;
    p.b.sp.setConstant(-0.1);
    BlockLinearPredictor grad;
    ExactSquaredLoss(mo, p, &grad);
    auto loss = [&] { return ExactSquaredLoss(mo, p); };
    CHECK(CentralDifference(loss, p.M.a) == Approx(grad.M.a).margin(kTolerance));
    CHECK(CentralDifference(loss, p.M.b) == Approx(grad.M.b).margin(kTolerance));
    CHECK(CentralDifference(loss, p.M.c) == Approx(grad.M.c).margin(kTolerance));
    CHECK(CentralDifference(loss, p.M.f[0]) == Approx(grad.M.f[0]).margin(kTolerance));
    CHECK(CentralDifference(loss, p.M.g[sp - 1]) == Approx(grad.M.g[sp - 1]).margin(kTolerance));
    CHECK(CentralDifference(loss, p.M.S(0, sp - 1)) == Approx(grad.M.S(0, sp - 1)).margin(kTolerance));
    CHECK(CentralDifference(loss, p.b.w) == Approx(grad.b.w).margin(kTolerance));
    CHECK(CentralDifference(loss, p.b.sp[0]) == Approx(grad.b.sp[0]).margin(kTolerance));
  }
}

TEST_CASE("The chain rule through the scores matches finite differences", "[theory][gradient]") {
  // L = <G, S> with S = (W^Q E)^T (W^K E) / sqrt(d_k) has dL/dS = G, and is quadratic in every single
  // entry of W^K, W^Q and E, so central differences are exact up to rounding.
  const int d_k = 2, d = 3, n = 4;
  const Matrix G = Matrix::Random(n, n);
  Matrix W_K = Matrix::Random(d_k, d), W_Q = Matrix::Random(d_k, d), E = Matrix::Random(d, n);
  const auto loss = [&] {
    return (G.array() * ((W_Q * E).transpose() * (W_K * E)).array()).sum() / std::sqrt(double(d_k));
  };
  const ScoreGradient g = ScoreChainRule(G, W_K, W_Q, &E);
  const std::vector<std::pair<Matrix*, const Matrix*>> entries = {{&W_K, &g.W_K}, {&W_Q, &g.W_Q}, {&E, &g.E}};
  for (const auto& [X, dX] : entries) {
    REQUIRE(dX->rows() == X->rows());
    REQUIRE(dX->cols() == X->cols());
    for (Eigen::Index i = 0; i < X->size(); ++i) {
      CHECK(CentralDifference(loss, X->data()[i]) == Approx(dX->data()[i]).margin(kTolerance));
    }
  }
  // The one-hot form is the same rule at E = I, without the embedding's gradient.
  const Matrix K = Matrix::Random(d_k, n), Q = Matrix::Random(d_k, n), I = Matrix::Identity(n, n);
  const ScoreGradient one_hot = ScoreChainRule(G, K, Q), at_identity = ScoreChainRule(G, K, Q, &I);
  CHECK(one_hot.E.size() == 0);
  CHECK((one_hot.W_K - at_identity.W_K).norm() < 1e-14);
  CHECK((one_hot.W_Q - at_identity.W_Q).norm() < 1e-14);
}

}  // namespace
}  // namespace ldaformer::theory
