#include "ldaformer/solvers/linear_solver.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <ceres/gradient_problem.h>
#include <ceres/gradient_problem_solver.h>
#include <fmt/format.h>
#include <boost/random/normal_distribution.hpp>

#include "ldaformer/theory/rng.hpp"

namespace ldaformer::solvers {

using theory::Matrix;

namespace {

int Rows(const LinearObjective& objective, const LinearSolveOptions& options) {
  return options.parametrization == Parametrization::kTiedEmbedding && options.d > 0 ? options.d : objective.n();
}

// The Ceres view of PenalisedObjective on a flat parameter vector (column-major P).
class PenalisedFunction final : public ceres::FirstOrderFunction {
 public:
  PenalisedFunction(const LinearObjective& objective, const LinearSolveOptions& options)
      : objective_(objective), options_(options), rows_(Rows(objective, options)) {}

  bool Evaluate(const double* parameters, double* cost, double* gradient) const override {
    const Eigen::Map<const Matrix> P(parameters, rows_, objective_.n());
    Matrix grad;
    *cost = PenalisedObjective(objective_, options_, P, gradient ? &grad : nullptr);
    if (gradient) Eigen::Map<Matrix>(gradient, rows_, objective_.n()) = grad;
    return std::isfinite(*cost);
  }
  int NumParameters() const override { return rows_ * objective_.n(); }

 private:
  const LinearObjective& objective_;
  const LinearSolveOptions& options_;
  int rows_;
};

Matrix RandomStart(int rows, int n, double scale, std::uint64_t seed, int start) {
  theory::Rng rng = theory::StreamFor(seed, static_cast<std::uint64_t>(start));
  boost::random::normal_distribution<double> normal(0.0, scale / std::sqrt(static_cast<double>(n)));
  Matrix P(rows, n);
  for (Eigen::Index j = 0; j < P.cols(); ++j) {
    for (Eigen::Index i = 0; i < P.rows(); ++i) P(i, j) = normal(rng);
  }
  return P;
}

}  // namespace

Matrix PredictorMatrix(Parametrization parametrization, const Matrix& parameters) {
  if (parametrization == Parametrization::kValueMatrix) return parameters;
  return parameters.transpose() * parameters;
}

double PenalisedObjective(const LinearObjective& objective, const LinearSolveOptions& options, const Matrix& parameters,
                          Matrix* gradient) {
  Matrix G;
  const double loss = objective.Evaluate(PredictorMatrix(options.parametrization, parameters), gradient ? &G : nullptr);
  if (gradient) {
    *gradient = options.parametrization == Parametrization::kValueMatrix ? G : Matrix(parameters * (G + G.transpose()));
    *gradient += 2.0 * options.lambda * parameters;
  }
  return loss + options.lambda * parameters.squaredNorm();
}

LinearSolveResult SolveLinearPredictor(const LinearObjective& objective, const LinearSolveOptions& options,
                                       const Matrix& initial) {
  if (options.random_starts < 1) {
    throw std::invalid_argument(fmt::format("solver.random_starts must be >= 1, got {}", options.random_starts));
  }
  if (!(options.lambda >= 0.0)) throw std::invalid_argument(fmt::format("lambda must be >= 0, got {}", options.lambda));
  const int rows = Rows(objective, options), n = objective.n();
  if (initial.size() > 0 && (initial.rows() != rows || initial.cols() != n)) {
    throw std::invalid_argument(
        fmt::format("initial parameters are {}x{}, expected {}x{}", initial.rows(), initial.cols(), rows, n));
  }
  ceres::GradientProblemSolver::Options ceres_options;
  ceres_options.line_search_direction_type = ceres::LBFGS;
  ceres_options.max_num_iterations = options.max_iterations;
  ceres_options.gradient_tolerance = options.gradient_tolerance;
  ceres_options.function_tolerance = options.function_tolerance;
  ceres_options.parameter_tolerance = 1e-16;
  ceres_options.logging_type = ceres::SILENT;

  LinearSolveResult best;
  best.objective = std::numeric_limits<double>::infinity();
  std::vector<double> finals;
  for (int start = 0; start < options.random_starts; ++start) {
    Matrix P =
        (start == 0 && initial.size() > 0) ? initial : RandomStart(rows, n, options.init_scale, options.seed, start);
    ceres::GradientProblem problem(new PenalisedFunction(objective, options));
    ceres::GradientProblemSolver::Summary summary;
    ceres::Solve(ceres_options, problem, P.data(), &summary);
    finals.push_back(summary.final_cost);
    if (summary.final_cost < best.objective) {
      best.parameters = P;
      best.objective = summary.final_cost;
      best.iterations = static_cast<int>(summary.iterations.size());
      best.termination = ceres::TerminationTypeToString(summary.termination_type);
    }
  }
  best.start_objectives = finals;
  best.M = PredictorMatrix(options.parametrization, best.parameters);
  Matrix gradient;
  best.objective = PenalisedObjective(objective, options, best.parameters, &gradient);
  best.loss = best.objective - options.lambda * best.parameters.squaredNorm();
  best.gradient_max_norm = gradient.cwiseAbs().maxCoeff();
  return best;
}

}  // namespace ldaformer::solvers
