// The linear-predictor objectives and their Ceres solves: gradients against finite differences, the T2
// solve against the closed form, the SAA against the exact loss.
#include <catch2/catch.hpp>

#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/solvers/gradient_flow.hpp"
#include "ldaformer/solvers/linear_solver.hpp"
#include "ldaformer/solvers/t2_least_squares.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "solver_grid.hpp"

namespace ldaformer::solvers {
namespace {

using theory::Matrix;

// Largest |analytic - central difference| over all entries, relative to the gradient's scale.
double GradientError(const LinearObjective& objective, const LinearSolveOptions& options, const Matrix& P) {
  Matrix analytic;
  PenalisedObjective(objective, options, P, &analytic);
  const double h = 1e-6;
  double worst = 0.0;
  for (Eigen::Index k = 0; k < P.size(); ++k) {
    Matrix plus = P, minus = P;
    plus(k) += h;
    minus(k) -= h;
    const double numeric = (PenalisedObjective(objective, options, plus, nullptr) -
                            PenalisedObjective(objective, options, minus, nullptr)) /
                           (2 * h);
    worst = std::max(worst, std::abs(numeric - analytic(k)));
  }
  return worst / std::max(1.0, analytic.cwiseAbs().maxCoeff());
}

TEST_CASE("Linear objectives: gradients match central differences", "[solvers][gradient]") {
  theory::Scenario scenario = testing::SmallA1Grid()[0];
  scenario.masking.p_m = 0.5;  // more targets per document for the SAA
  const auto exact = ExactSquaredObjective(scenario);
  const auto saa_squared = SampleAverageObjective(scenario, theory::LossKind::kSquared, 40, 3);
  const auto saa_ce = SampleAverageObjective(scenario, theory::LossKind::kCrossEntropy, 40, 3);
  const int n = scenario.tokens().n();
  for (const LinearObjective* objective : {exact.get(), saa_squared.get(), saa_ce.get()}) {
    LinearSolveOptions value;
    value.lambda = 0.01;
    LinearSolveOptions tied;
    tied.parametrization = Parametrization::kTiedEmbedding;
    tied.d = 4;
    tied.lambda = 0.003;
    CHECK(GradientError(*objective, value, Matrix::Random(n, n)) < 1e-6);
    CHECK(GradientError(*objective, tied, Matrix::Random(4, n)) < 1e-6);
  }
}

TEST_CASE("SAA squared loss agrees with the Monte Carlo loss on the same documents", "[solvers]") {
  theory::Scenario scenario = testing::SmallA1Grid()[3];
  const int n = scenario.tokens().n();
  const theory::LinearPredictor predictor = theory::LinearPredictor::Random(n, 5);
  theory::MonteCarloOptions mc;
  mc.documents = 300;
  mc.seed = 11;
  mc.targets = theory::TargetPositions::kSelected;
  for (const auto loss : {theory::LossKind::kSquared, theory::LossKind::kCrossEntropy}) {
    const auto saa = SampleAverageObjective(scenario, loss, mc.documents, mc.seed);
    const double expected =
        theory::MonteCarloLoss(scenario, theory::LinearPredictor{predictor.M, theory::Vector::Zero(n)}, loss, mc).value;
    CHECK(saa->Evaluate(predictor.M, nullptr) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("T2 by Ceres reproduces the closed form: least squares to 1e-8, L-BFGS on the loss to 1e-5",
          "[solvers][T2]") {
  for (const theory::Scenario& scenario : testing::SmallA1Grid()) {
    for (const double lambda : {1e-3, 1e-2}) {
      INFO(scenario.name << " lambda=" << lambda);
      const theory::SecondMoments moments = theory::ExactSecondMoments(scenario);
      const Matrix closed = OptimalValueMatrix(moments, lambda);
      const T2LeastSquaresResult least_squares = SolveT2LeastSquares(moments, lambda);
      INFO("least squares: " << least_squares.termination << " after " << least_squares.iterations << " iterations");
      CHECK((least_squares.W - closed).norm() <= 1e-8 * closed.norm());
      LinearSolveOptions options;
      options.lambda = lambda;
      const LinearSolveResult lbfgs = SolveLinearPredictor(*ExactSquaredObjective(scenario), options);
      INFO("L-BFGS: " << lbfgs.termination << " after " << lbfgs.iterations << " iterations");
      // A line search on loss values cannot resolve steps below ~sqrt(eps / lambda) (see t2_least_squares.hpp).
      CHECK((lbfgs.parameters - closed).norm() <= 1e-5 * closed.norm());
    }
  }
}

TEST_CASE("T1 identity decoder: Ceres from random starts reaches the closed form", "[solvers][T1]") {
  const theory::Scenario scenario = testing::SmallA1Grid()[2];
  const Matrix closed = OptimalIdentityDecoderEmbedding(theory::ExactSecondMoments(scenario));
  LinearSolveOptions options;
  options.random_starts = 2;
  const LinearSolveResult solved = SolveLinearPredictor(*ExactSquaredObjective(scenario), options);
  CHECK((solved.parameters - closed).norm() <= 1e-6 * closed.norm());
}

TEST_CASE("T1 tied decoder: every start reaches the same loss, below the identity-decoder optimum's rank-d bound",
          "[solvers][T1]") {
  const theory::Scenario scenario = testing::SmallA1Grid()[0];
  const auto objective = ExactSquaredObjective(scenario);
  const Matrix unconstrained = OptimalIdentityDecoderEmbedding(theory::ExactSecondMoments(scenario));
  const double floor = objective->Evaluate(unconstrained, nullptr);
  double previous = 2.0;
  for (const int d : {3, 6, 13}) {
    LinearSolveOptions options;
    options.parametrization = Parametrization::kTiedEmbedding;
    options.d = d;
    options.random_starts = 3;
    const LinearSolveResult solved = SolveLinearPredictor(*objective, options);
    INFO("d=" << d << " loss " << solved.loss << " floor " << floor);
    // M = E^T E is a restricted M: never below the unconstrained optimum, and more room never hurts.
    CHECK(solved.loss >= floor - 1e-10);
    CHECK(solved.loss <= previous + 1e-9);
    for (const double start : solved.start_objectives) CHECK(start == Approx(solved.objective).epsilon(1e-5));
    previous = solved.loss;
  }
}

TEST_CASE("T2 gradient flow from zero and from a random start converges to the closed form", "[solvers][T2]") {
  for (const theory::Scenario& scenario : {testing::SmallA1Grid()[0], testing::SmallA1Grid()[5]}) {
    const double lambda = 0.01;
    const Matrix closed = OptimalValueMatrix(theory::ExactSecondMoments(scenario), lambda);
    LinearSolveOptions parametrisation;
    parametrisation.lambda = lambda;
    FlowOptions flow;
    flow.t_end = std::log(1e9) / (2 * lambda);  // the slowest mode decays like exp(-2 lambda t)
    const int n = scenario.tokens().n();
    for (const Matrix& start : {Matrix(Matrix::Zero(n, n)), Matrix(Matrix::Random(n, n))}) {
      const FlowTrajectory trajectory =
          FlowLinearPredictor(*ExactSquaredObjective(scenario), parametrisation, start, flow);
      INFO(scenario.name << ": " << trajectory.rhs_evaluations << " evaluations");
      CHECK((trajectory.final_parameters - closed).norm() <= 1e-6 * closed.norm());
      // A gradient flow never increases the objective.
      for (size_t k = 1; k < trajectory.objective.size(); ++k) {
        CHECK(trajectory.objective[k] <= trajectory.objective[k - 1] + 1e-12);
      }
    }
  }
}

TEST_CASE("Bad solver options are rejected", "[solvers]") {
  const auto objective = ExactSquaredObjective(testing::SmallA1Grid()[1]);
  LinearSolveOptions options;
  options.random_starts = 0;
  CHECK_THROWS_WITH(SolveLinearPredictor(*objective, options), Catch::Contains("random_starts must be >= 1, got 0"));
  options.random_starts = 1;
  options.lambda = -1;
  CHECK_THROWS_WITH(SolveLinearPredictor(*objective, options), Catch::Contains("lambda must be >= 0"));
}

}  // namespace
}  // namespace ldaformer::solvers
