// A T3 solve: the attention scores S that minimise the one-layer model's loss with W^V fixed to the T2
// optimum A (C + lambda I)^-1, on a small A1 scenario (T = 3 topics of m = 3 words, Dirichlet(0.1)).
// S is searched in its symmetric form S = s_I I + s_B B + s_J J on the word block (plus free special rows
// and columns), by Ceres L-BFGS. Prints s_I, s_B, s_J and the loss beside the uniform-attention loss (S = 0)
// at N -> infinity for the squared and the cross-entropy loss, then s_B with its sandwich standard error on
// a sample average of 300 documents of length 30. T3 says s_B > 0: exits 1 if a solve does not converge
// or s_B <= 0.
#include <cstdio>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/solvers/attention_solver.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/second_moments.hpp"

using namespace ldaformer;
using theory::LossKind;

int main() {
  theory::Scenario scenario;  // the default masking: p_m = 0.15, p_c = 0.1, p_r = 0.1
  scenario.topics = theory::TopicModel::DisjointUniform(3, 9);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(3, 0.1);
  scenario.length = theory::LengthDistribution::Infinite();
  scenario.Validate();
  const int n = scenario.tokens().n();
  const theory::Matrix W_V = solvers::OptimalValueMatrix(theory::ExactSecondMoments(scenario), 1e-3);

  solvers::AttentionSolverOptions options;
  options.lambda = 1e-3;  // lambda ||S||_F^2 picks one S among those equal up to row shifts
  options.max_iterations = 1000;
  const theory::TopicBlockMatrix start = theory::TopicBlockMatrix::Zero(3, 3, scenario.num_special);  // T, m, s

  // N -> infinity: the loss given theta is exact, the expectation over theta a quasi-Monte Carlo rule.
  const auto infinite = solvers::AttentionObjective::InfiniteLength(
      scenario, solvers::ThetaQuadrature::ForPrior(scenario.prior, 128, /*seed=*/1));
  bool ok = true;
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    const solvers::AttentionSolution solved = solvers::SolveTopicBlockScores(infinite, W_V, loss, options, start);
    const double uniform = infinite.Loss(theory::Matrix::Zero(n, n), W_V, loss);
    std::printf("N -> inf, %-13s: s_I = %.2g, s_B = %.4f, s_J = %.4f, loss %.6f (uniform attention %.6f), %s\n",
                theory::NameOf(loss).c_str(), solved.coefficients.a, solved.coefficients.b, solved.coefficients.c,
                solved.loss, uniform, solved.termination.c_str());
    ok = ok && solved.Converged() && solved.coefficients.b > 0;
  }

  // A sample average at N = 30 (the documents MonteCarloLoss draws), the same W^V, unpenalised, with the
  // sandwich standard errors of M-estimation.
  scenario.length = theory::LengthDistribution::Fixed(30);
  const auto sample = solvers::AttentionObjective::SampleAverage(scenario, 300, /*seed=*/1);
  options.lambda = 0;
  const solvers::AttentionSolution solved =
      solvers::SolveTopicBlockScores(sample, W_V, LossKind::kSquared, options, start);
  const theory::TopicBlockMatrix se =
      solvers::TopicBlockScoresStandardErrors(sample, W_V, LossKind::kSquared, solved.coefficients);
  std::printf("N = 30, 300 documents, squared: s_I = %.4f +- %.4f, s_B = %.4f +- %.4f, loss %.6f, %s\n",
              solved.coefficients.a, se.a, solved.coefficients.b, se.b, solved.loss, solved.termination.c_str());
  ok = ok && solved.Converged() && solved.coefficients.b > 0;
  return ok ? 0 : 1;
}
