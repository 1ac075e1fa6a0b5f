// Claim T1: at the optimal embedding, same-topic words have larger inner products on average.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "claim_support.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/gram_averages.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/solvers/linear_solver.hpp"

namespace ldaformer::claims {

using theory::Matrix;

namespace {

nlohmann::json GramJson(const GramAverages& gram) {
  return {{"averaged_margin", gram.margin.value},
          {"worst_word", gram.margin.word},
          {"off_diagonal_margin", gram.off_diagonal_margin.value},
          {"same_topic_mean", gram.block.same_topic_mean},
          {"different_topic_mean", gram.block.different_topic_mean},
          {"block_residual", gram.block.relative_residual}};
}

ClaimResult NewResult(const theory::Scenario& scenario, const std::string& id, const std::string& method) {
  return NewClaimResult(scenario, "T1", id, method);
}

void SetMargin(ClaimResult& result, const GramAverages& gram) {
  result.margin = gram.applicable ? gram.margin.value : std::numeric_limits<double>::quiet_NaN();
  if (!gram.applicable) result.not_measurable = gram.reason;
}

Matrix WordGram(const Matrix& E, int v) { return E.leftCols(v).transpose() * E.leftCols(v); }

// The penalty that makes the identity-decoder problem well posed: none when C is positive definite.
double IdentityDecoderPenalty(const theory::SecondMoments& moments, double lambda) {
  return Eigen::LLT<Matrix>(moments.C).info() == Eigen::Success &&
                 moments.C.diagonal().minCoeff() > 1e-12 * moments.C.diagonal().maxCoeff()
             ? 0.0
             : lambda;
}

// Ceres against the closed form: their objectives agree to L-BFGS's resolution on loss values.
constexpr double kCeresObjectiveGap = 1e-9;

ClaimResult IdentityDecoder(const theory::Scenario& scenario, const VerifyOptions& options,
                            const std::vector<int>& topic_of_word, const solvers::LinearObjective& objective,
                            Progress& progress) {
  const ResultClock clock(progress, "T1-identity");
  ClaimResult result = NewResult(scenario, "T1-identity",
                                 "closed form E* = A (C + lambda0 I)^-1, checked by Ceres L-BFGS on the exact loss");
  const theory::SecondMoments moments = theory::ExactSecondMoments(scenario);
  const double lambda0 = IdentityDecoderPenalty(moments, options.lambda);
  const Matrix E = solvers::OptimalIdentityDecoderEmbedding(moments, lambda0);
  solvers::LinearSolveOptions solve;
  solve.lambda = lambda0;
  solve.seed = options.seed;
  const solvers::LinearSolveResult ceres = solvers::SolveLinearPredictor(objective, solve);
  const double closed_objective = solvers::PenalisedObjective(objective, solve, E, nullptr);
  const GramAverages gram = MeasureGramAverages(E, topic_of_word, scenario.topics.v);
  result.details = GramJson(gram);
  SetMargin(result, gram);
  result.details["lambda0"] = lambda0;
  result.details["loss"] = closed_objective;
  result.details["ceres_objective_gap"] = ceres.objective - closed_objective;
  result.details["ceres_relative_distance"] = (ceres.parameters - E).norm() / E.norm();
  result.solves.push_back(CeresRun("Ceres L-BFGS over E on the exact loss", ceres.termination));
  // The closed form must be the optimum Ceres finds.
  result.cross_checks.push_back(
      {"Ceres vs closed form objective gap", std::abs(ceres.objective - closed_objective), kCeresObjectiveGap});
  result.matrices.push_back(TopicOrdered("T1-identity-gram", "T1, identity decoder: Gram matrix E*^T E* of the words",
                                         WordGram(E, scenario.topics.v), topic_of_word));
  clock.Finish(result);
  return result;
}

ClaimResult TiedDecoder(const theory::Scenario& scenario, const VerifyOptions& options,
                        const std::vector<int>& topic_of_word, const solvers::LinearObjective& objective,
                        Progress& progress) {
  const int n = scenario.tokens().n();
  std::vector<int> dims = options.tied_dimensions;
  if (dims.empty()) dims = {scenario.topics.T, (scenario.topics.T + n) / 2, n};
  const ResultClock clock(progress, "T1-tied", static_cast<int>(dims.size()));
  ClaimResult result = NewResult(
      scenario, "T1-tied",
      fmt::format("Ceres L-BFGS on the exact loss of y = E^T E xbar, {} random starts per d", options.random_starts));
  result.margin = std::numeric_limits<double>::infinity();
  result.details["dimensions"] = nlohmann::json::array();
  double best_loss = std::numeric_limits<double>::infinity();
  for (const int d : dims) {
    solvers::LinearSolveOptions solve;
    solve.parametrization = solvers::Parametrization::kTiedEmbedding;
    solve.d = d;
    solve.random_starts = options.random_starts;
    solve.max_iterations = 3000;
    solve.gradient_tolerance = 1e-10;
    solve.function_tolerance = 1e-14;
    solve.seed = options.seed;
    const solvers::LinearSolveResult solved = solvers::SolveLinearPredictor(objective, solve);
    const GramAverages gram = MeasureGramAverages(solved.parameters, topic_of_word, scenario.topics.v);
    const auto [lo, hi] = std::minmax_element(solved.start_objectives.begin(), solved.start_objectives.end());
    nlohmann::json entry = GramJson(gram);
    entry["d"] = d;
    entry["loss"] = solved.loss;
    entry["start_loss_spread"] = *hi - *lo;
    entry["iterations"] = solved.iterations;
    entry["termination"] = solved.termination;
    result.details["dimensions"].push_back(entry);
    result.solves.push_back(CeresRun(fmt::format("Ceres L-BFGS over E, d = {}", d), solved.termination));
    // The worst d decides; a d whose Gram averages are undefined leaves the margin unmeasured.
    if (!gram.applicable) {
      result.margin = std::numeric_limits<double>::quiet_NaN();
      result.not_measurable = gram.reason;
    } else if (!std::isnan(result.margin)) {
      result.margin = std::min(result.margin, gram.margin.value);
    }
    progress.Step(static_cast<int>(result.solves.size()));
    if (solved.loss < best_loss) {
      best_loss = solved.loss;
      result.matrices = {TopicOrdered("T1-tied-gram",
                                      fmt::format("T1, tied decoder (d = {}): Gram matrix E^T E of the words", d),
                                      WordGram(solved.parameters, scenario.topics.v), topic_of_word)};
    }
  }
  clock.Finish(result);
  return result;
}

ClaimResult CrossEntropy(const theory::Scenario& scenario, const VerifyOptions& options,
                         const std::vector<int>& topic_of_word, Progress& progress) {
  const ResultClock clock(progress, "T1-identity-CE");
  ClaimResult result = NewResult(scenario, "T1-identity-CE", CrossEntropySampleAverageMethod(options));
  const solvers::LinearSolveResult solved = SolveCrossEntropySampleAverage(scenario, options);
  const GramAverages gram = MeasureGramAverages(solved.parameters, topic_of_word, scenario.topics.v);
  result.details = GramJson(gram);
  AddSolveDetails(solved, result.details);
  SetMargin(result, gram);
  if (gram.applicable) {
    // The margin is the worst word i's mean of G(i, j) = <E_i, E_j> over its topic minus over its best other
    // topic: phi(E) = e_i^T E_w^T E_w c for the functional's coefficients C = e_i c^T, with gradient
    // E_w (C + C^T) on the word columns. Its standard error by the delta method (near-tied words: see T2-CE).
    const int v = scenario.topics.v;
    const Matrix& E = solved.parameters;
    const Matrix C = RowMarginFunctional(WordGram(E, v), topic_of_word, v, gram.margin.word, true);
    Matrix F = Matrix::Zero(E.rows(), E.cols());
    F.leftCols(v) = E.leftCols(v) * (C + C.transpose());
    result.standard_error = CrossEntropyStandardError(scenario, options, E, solved.loss, F);
  }
  result.solves.push_back(CeresRun("Ceres L-BFGS over E", solved.termination));
  result.matrices.push_back(TopicOrdered("T1-ce-gram",
                                         "T1, identity decoder, cross-entropy (sample average): Gram matrix",
                                         WordGram(solved.parameters, scenario.topics.v), topic_of_word));
  clock.Finish(result);
  return result;
}

}  // namespace

std::vector<ClaimResult> CheckT1(const theory::Scenario& scenario, const VerifyOptions& options, Progress& progress) {
  const std::vector<int> topic_of_word = WordTopics(scenario.topics);
  std::vector<ClaimResult> results;
  if (scenario.prior.HasExactMoments()) {
    const auto objective = solvers::ExactSquaredObjective(scenario);
    results.push_back(IdentityDecoder(scenario, options, topic_of_word, *objective, progress));
    results.push_back(TiedDecoder(scenario, options, topic_of_word, *objective, progress));
  }
  if (options.cross_entropy) results.push_back(CrossEntropy(scenario, options, topic_of_word, progress));
  return results;
}

}  // namespace ldaformer::claims
