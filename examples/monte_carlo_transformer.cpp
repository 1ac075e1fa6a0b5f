// Monte Carlo estimates of the full one-layer model's loss, with standard errors, on the paper's synthetic
// scenario. First uniform attention (W^K = W^Q = 0), one-hot E, the identity decoder and W^V = W*, the T2
// optimum: its squared loss is the exact L(W*) = tr(W* C W*^T) - 2 <W*, A> + 1, printed beside the estimate
// with the z-score (estimate - exact) / standard error. Then softmax attention with random W^K, W^Q of width
// d_k = 8 (entries N(0, 1), so that the scores s_ij are about N(0, 1)), squared and cross-entropy, which
// have no exact value. Exits 1 if |z| > 4.
#include <cmath>
#include <cstdio>

#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"

using namespace ldaformer;
using theory::LossKind;

int main() {
  const theory::Scenario paper = theory::PaperSyntheticScenario();
  const int n = paper.tokens().n();
  const theory::SecondMoments moments = theory::ExactSecondMoments(paper);
  const theory::Matrix W_star = solvers::OptimalValueMatrix(moments, 1e-3);

  theory::MonteCarloOptions mc;
  mc.documents = 1000;  // documents of N ~ U{100..150}; every position is a target
  mc.seed = 7;

  // Uniform attention + identity decoder: y = W^V xbar, the linear predictor M = W^V, b = 0.
  theory::LinearPredictor linear = theory::LinearPredictor::Zero(n);
  linear.M = W_star;
  const double exact = theory::ExactSquaredLoss(moments, linear);
  const theory::ScalarEstimate uniform =
      theory::MonteCarloLoss(paper, theory::TransformerParams::UniformAttention(W_star), LossKind::kSquared, mc);
  const double z = (uniform.value - exact) / uniform.standard_error;
  std::printf(
      "uniform attention, W^V = W*: Monte Carlo %.6f +- %.6f (%llu documents, %.0f targets), exact %.6f, "
      "z = %.2f\n",
      uniform.value, uniform.standard_error, static_cast<unsigned long long>(uniform.documents), uniform.targets, exact,
      z);

  // Softmax attention: random key and query matrices of width d_k = 8 (d = n, one-hot E).
  theory::TransformerParams params = theory::TransformerParams::UniformAttention(W_star, 8);
  params.W_K = std::sqrt(n) * theory::LinearPredictor::Random(n, 2).M.topRows(8);  // N(0, 1/n) times sqrt(n)
  params.W_Q = std::sqrt(n) * theory::LinearPredictor::Random(n, 3).M.topRows(8);
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    const theory::ScalarEstimate e = theory::MonteCarloLoss(paper, params, loss, mc);
    std::printf("random W^K, W^Q, W^V = W*, %-13s: Monte Carlo %.6f +- %.6f\n", theory::NameOf(loss).c_str(), e.value,
                e.standard_error);
  }
  return std::abs(z) <= 4 ? 0 : 1;
}
