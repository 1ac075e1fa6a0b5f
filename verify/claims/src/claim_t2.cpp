// Claim T2: with a small penalty lambda, the optimal W^V under uniform attention is block-wise with
// same-topic entries above different-topic entries.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "claim_support.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/solvers/gradient_flow.hpp"
#include "ldaformer/solvers/linear_solver.hpp"
#include "ldaformer/solvers/t2_least_squares.hpp"

namespace ldaformer::claims {

using theory::Matrix;

namespace {

// An exactly block-wise optimum has a projection residual at rounding level.
constexpr double kBlockResidual = 1e-8;
// The contract for Ceres against the closed form.
constexpr double kCeresAgreement = 1e-8;
constexpr double kFlowAgreement = 1e-6;

nlohmann::json BlockJson(const BlockStructure& block) {
  return {{"margin", block.margin},
          {"a", block.a},
          {"b", block.b},
          {"c", block.c},
          {"same_word_mean", block.same_word_mean},
          {"same_topic_mean", block.same_topic_mean},
          {"different_topic_mean", block.different_topic_mean},
          {"block_residual", block.relative_residual}};
}

ClaimResult NewResult(const theory::Scenario& scenario, const VerifyOptions& options, const std::string& id,
                      const std::string& method) {
  ClaimResult result = NewClaimResult(scenario, "T2", id, method);
  result.hypotheses.push_back({"lambda > 0", options.lambda > 0, fmt::format("lambda = {:g}", options.lambda)});
  return result;
}

// The block margin as the result's margin; NaN with the predicate's reason when it is undefined.
void SetMargin(ClaimResult& result, const BlockStructure& block) {
  result.margin = block.applicable ? block.margin : std::numeric_limits<double>::quiet_NaN();
  if (!block.applicable) result.not_measurable = block.reason;
}

ClaimResult Exact(const theory::Scenario& scenario, const VerifyOptions& options, const std::vector<int>& topic_of_word,
                  Progress& progress) {
  const ResultClock clock(progress, "T2");
  ClaimResult result = NewResult(
      scenario, options, "T2",
      fmt::format(
          "closed form A (C + lambda I)^-1 (lambda {}), checked by Ceres least squares and an Odeint gradient flow",
          options.lambda));
  const theory::SecondMoments moments = theory::ExactSecondMoments(scenario);
  const Matrix W = T2ValueMatrix(scenario, options.lambda);
  const solvers::T2LeastSquaresResult ceres = solvers::SolveT2LeastSquares(moments, options.lambda);
  const double ceres_error = (ceres.W - W).norm() / W.norm();

  const auto objective = solvers::ExactSquaredObjective(scenario);
  solvers::LinearSolveOptions parametrisation;
  parametrisation.lambda = options.lambda;
  solvers::FlowOptions flow;
  flow.t_end = std::log(1e9) / (2 * options.lambda);  // the slowest mode decays like exp(-2 lambda t)
  flow.absolute_tolerance = flow.relative_tolerance = 1e-9;
  const solvers::FlowTrajectory trajectory =
      solvers::FlowLinearPredictor(*objective, parametrisation, Matrix::Zero(W.rows(), W.cols()), flow);
  const double flow_error = (trajectory.final_parameters - W).norm() / W.norm();

  const BlockStructure block = MeasureBlockStructure(W, topic_of_word, scenario.topics.v);
  result.details = BlockJson(block);
  result.details["lambda"] = options.lambda;
  result.details["ceres_relative_error"] = ceres_error;
  result.details["ceres_termination"] = ceres.termination;
  result.details["flow_relative_error"] = flow_error;
  result.details["flow_rhs_evaluations"] = trajectory.rhs_evaluations;
  SetMargin(result, block);
  // Block-wise, same topic above different topic, and every route to the optimum agrees.
  result.conditions.push_back({"block residual", block.relative_residual, kBlockResidual});
  result.cross_checks.push_back({"Ceres least squares vs closed form", ceres_error, kCeresAgreement});
  result.cross_checks.push_back({"gradient flow vs closed form", flow_error, kFlowAgreement});
  result.solves.push_back(CeresRun("Ceres least squares over W^V", ceres.termination));
  result.matrices.push_back(
      TopicOrdered("T2-W_V", fmt::format("T2: optimal W^V (lambda = {})", options.lambda), W, topic_of_word));
  const double final_objective = trajectory.objective.back();
  // A gap below the rounding of the objective itself is noise: those points are left off the log plot.
  const double rounding = 1e-15 * std::abs(final_objective);
  Curve gap{"objective - final", {}, {}};
  for (size_t k = 1; k < trajectory.t.size(); ++k) {
    const double above = trajectory.objective[k] - final_objective;
    if (!(above > rounding)) continue;
    gap.x.push_back(trajectory.t[k]);
    gap.y.push_back(above);
  }
  ReportPlot plot = ReportPlot::LogLog("T2-flow", "T2: gradient flow of the penalised loss from W = 0", "t",
                                       "L + lambda |W|^2 - final value");
  plot.curves = {gap};
  result.plots.push_back(plot);
  clock.Finish(result);
  return result;
}

ClaimResult CrossEntropy(const theory::Scenario& scenario, const VerifyOptions& options,
                         const std::vector<int>& topic_of_word, Progress& progress) {
  const ResultClock clock(progress, "T2-CE");
  ClaimResult result = NewResult(scenario, options, "T2-CE", CrossEntropySampleAverageMethod(options));
  const solvers::LinearSolveResult solved = SolveCrossEntropySampleAverage(scenario, options);
  const BlockStructure block = MeasureBlockStructure(solved.parameters, topic_of_word, scenario.topics.v);
  result.details = BlockJson(block);
  AddSolveDetails(solved, result.details);
  // A sample average breaks the exact symmetry: the residual is reported, only the margin decides.
  SetMargin(result, block);
  if (block.applicable) {
    // The margin min(row margin, column margin) is piecewise linear in W^V; its standard error is that of
    // the active piece, the worst word's own-topic mean minus its best other topic's mean. Words whose
    // margins nearly tie make the minimum's spread smaller than this (and its mean lower): on the scale
    // of the margin this standard error is an upper bound, which keeps "inconclusive" on the safe side.
    const int v = scenario.tokens().v;
    const bool by_row = block.row_margin.value <= block.column_margin.value;
    const Matrix F = by_row ? RowMarginFunctional(solved.parameters, topic_of_word, v, block.row_margin.word, false)
                            : Matrix(RowMarginFunctional(solved.parameters.transpose(), topic_of_word, v,
                                                         block.column_margin.word, false)
                                         .transpose());
    result.standard_error = CrossEntropyStandardError(scenario, options, solved.parameters, solved.loss, F);
  }
  result.solves.push_back(CeresRun("Ceres L-BFGS over W^V", solved.termination));
  result.matrices.push_back(
      TopicOrdered("T2-ce-W_V", "T2, cross-entropy (sample average): optimal W^V", solved.parameters, topic_of_word));
  clock.Finish(result);
  return result;
}

}  // namespace

std::vector<ClaimResult> CheckT2(const theory::Scenario& scenario, const VerifyOptions& options, Progress& progress) {
  const std::vector<int> topic_of_word = WordTopics(scenario.topics);
  std::vector<ClaimResult> results;
  if (scenario.prior.HasExactMoments()) results.push_back(Exact(scenario, options, topic_of_word, progress));
  if (options.cross_entropy) results.push_back(CrossEntropy(scenario, options, topic_of_word, progress));
  return results;
}

}  // namespace ldaformer::claims
