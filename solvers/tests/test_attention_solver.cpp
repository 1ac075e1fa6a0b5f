// The T3 solvers: the symmetric few-parameter optimum against the full-S optimum, the same-topic
// preference it shows, and the p_c = 0 boundary where that preference should vanish.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/solvers/attention_solver.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::solvers {
namespace {

using theory::LossKind;
using theory::Matrix;
using theory::Scenario;

// A small A1 scenario at N -> infinity: T = 3 topics of m = 3 words, Dirichlet(0.1), masking 0.15 / p_c / 0.1.
Scenario SmallA1(double p_c) {
  Scenario s = theory::PaperSyntheticScenario();
  s.name = "t3-small";
  s.topics = theory::TopicModel::DisjointUniform(3, 9);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(3, 0.1);
  s.length = theory::LengthDistribution::Infinite();
  s.masking.p_c = p_c;
  s.Validate();
  return s;
}

// W^V fixed to the T2 optimum A (C + lambda I)^-1 of the scenario (block-wise under A1).
Matrix T2ValueMatrix(const Scenario& scenario) {
  return OptimalValueMatrix(theory::ExactSecondMoments(scenario), 1e-3);
}

AttentionSolverOptions Options() {
  AttentionSolverOptions options;
  options.lambda = 1e-3;
  options.max_iterations = 1000;
  return options;
}

TEST_CASE("T3 solvers: the few-parameter optimum matches the full-S optimum and prefers the same topic",
          "[solvers][T3]") {
  const Scenario scenario = SmallA1(0.1);
  const Matrix W_V = T2ValueMatrix(scenario);
  const AttentionObjective objective =
      AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 128, 1));
  const int n = scenario.tokens().n();
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    INFO(theory::NameOf(loss));
    const AttentionSolution few =
        SolveTopicBlockScores(objective, W_V, loss, Options(), theory::TopicBlockMatrix::Zero(3, 3, 1));
    INFO(few.message);
    REQUIRE(few.Converged());
    // Start the full solve off the symmetric subspace so that it can leave it.
    const AttentionSolution full =
        SolveFullScores(objective, W_V, loss, Options(), 0.1 * theory::LinearPredictor::Random(n, 3).M);
    INFO(full.message);
    REQUIRE(full.Converged());
    const theory::TopicBlockMatrix averaged = TopicBlockAverage(full.S, 3, 3);
    INFO("few: s_I=" << few.coefficients.a << " s_B=" << few.coefficients.b << " s_J=" << few.coefficients.c
                     << " loss=" << few.penalised_loss << "; full: block averages a=" << averaged.a
                     << " b=" << averaged.b << " loss=" << full.penalised_loss);
    // The few-parameter set is inside the full one, so the full optimum is no worse (up to the
    // solvers' tolerances); the symmetry of the problem (broken only by the quadrature points) makes it
    // no better either, to the quadrature's resolution.
    CHECK(full.penalised_loss <= few.penalised_loss + 1e-9);
    CHECK(few.penalised_loss - full.penalised_loss <= 1e-4 * few.penalised_loss);
    CHECK(few.coefficients.b > 0.0);
    CHECK(averaged.b > 0.0);
    CHECK(few.loss < objective.Loss(Matrix::Zero(n, n), W_V, loss));
  }
}

TEST_CASE("T3 solvers: with p_c = 0 the same-topic preference vanishes (negative control)", "[solvers][T3]") {
  const double reference_b = [] {
    const Scenario scenario = SmallA1(0.1);
    const AttentionObjective objective =
        AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 128, 1));
    return SolveTopicBlockScores(objective, T2ValueMatrix(scenario), LossKind::kSquared, Options(),
                                 theory::TopicBlockMatrix::Zero(3, 3, 1))
        .coefficients.b;
  }();
  const Scenario scenario = SmallA1(0.0);
  const AttentionObjective objective =
      AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 128, 1));
  const AttentionSolution few = SolveTopicBlockScores(objective, T2ValueMatrix(scenario), LossKind::kSquared, Options(),
                                                      theory::TopicBlockMatrix::Zero(3, 3, 1));
  INFO("s_B(p_c=0)=" << few.coefficients.b << " s_B(p_c=0.1)=" << reference_b << " " << few.message);
  REQUIRE(few.Converged());
  // With p_c = 0 the query token is independent of the target's topic, so every word row of S faces the
  // same problem and, by exchangeability, its optimum does not single out the query's topic.
  CHECK(std::abs(few.coefficients.b) <= 1e-2 * reference_b);
}

TEST_CASE("T3 solvers: invalid options and shapes are refused", "[solvers][T3]") {
  const Scenario scenario = SmallA1(0.1);
  const AttentionObjective objective =
      AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 4, 1));
  const int n = scenario.tokens().n();
  AttentionSolverOptions options;
  options.lambda = -1.0;
  CHECK_THROWS_WITH(SolveFullScores(objective, Matrix::Zero(n, n), LossKind::kSquared, options),
                    Catch::Contains("solver.lambda"));
  options = AttentionSolverOptions();
  options.max_iterations = 0;
  CHECK_THROWS_WITH(options.Validate(), Catch::Contains("solver.max_iterations"));
  CHECK_THROWS_WITH(SolveFullScores(objective, Matrix::Zero(n, n + 1), LossKind::kSquared, AttentionSolverOptions()),
                    Catch::Contains("W_V must be"));
  CHECK_THROWS_WITH(SolveTopicBlockScores(objective, Matrix::Zero(n, n), LossKind::kSquared, AttentionSolverOptions(),
                                          theory::TopicBlockMatrix::Zero(2, 3, 1)),
                    Catch::Contains("T m = v"));
}

TEST_CASE("T3 solvers: TopicBlockAverage inverts Dense and gives the chain rule", "[solvers][T3]") {
  theory::TopicBlockMatrix x = theory::TopicBlockMatrix::Zero(3, 2, 2);
  x.a = 0.3;
  x.b = -1.2;
  x.c = 0.7;
  x.f << 1.0, 2.0;
  x.g << -0.5, 0.25;
  x.S << 1.0, 2.0, 3.0, 4.0;
  const theory::TopicBlockMatrix back = TopicBlockAverage(x.Dense(), 3, 2);
  CHECK((back.Dense() - x.Dense()).cwiseAbs().maxCoeff() <= 1e-15);
  // <G, dX/dcoefficient> for a dense G, by finite differences of the linear map coefficients -> <G, X>.
  const Matrix G = theory::LinearPredictor::Random(8, 4).M;
  const theory::TopicBlockMatrix chain = theory::CoefficientGradient(TopicBlockAverage(G, 3, 2));
  theory::TopicBlockMatrix unit = theory::TopicBlockMatrix::Zero(3, 2, 2);
  unit.b = 1.0;
  CHECK(chain.b == Approx((G.cwiseProduct(unit.Dense())).sum()).epsilon(1e-13));
  unit = theory::TopicBlockMatrix::Zero(3, 2, 2);
  unit.f[1] = 1.0;
  CHECK(chain.f[1] == Approx((G.cwiseProduct(unit.Dense())).sum()).epsilon(1e-13));
  unit = theory::TopicBlockMatrix::Zero(3, 2, 2);
  unit.a = 1.0;
  CHECK(chain.a == Approx(G.topLeftCorner(6, 6).trace()).epsilon(1e-13));
}

TEST_CASE("T3 solvers: the sandwich standard error of s_B matches its spread over independent samples",
          "[solvers][T3]") {
  // The same finite-N scenario, solved on 12 independent sample averages of 250 documents each: the
  // standard deviation of s_B across them is the standard error the sandwich predicts from one sample.
  Scenario scenario = SmallA1(0.1);
  scenario.length = theory::LengthDistribution::Fixed(12);
  scenario.Validate();
  theory::TopicBlockMatrix block = TopicBlockAverage(T2ValueMatrix(scenario), 3, 3);
  block.a = 0.0;  // the idealised block W^V, with which s_B is well inside its finite optimum
  const Matrix W_V = block.Dense();
  AttentionSolverOptions options;
  options.max_iterations = 500;
  std::vector<double> s_B, standard_errors;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const AttentionObjective objective = AttentionObjective::SampleAverage(scenario, 250, seed, 1);
    const AttentionSolution few =
        SolveTopicBlockScores(objective, W_V, LossKind::kSquared, options, theory::TopicBlockMatrix::Zero(3, 3, 1));
    REQUIRE(few.gradient_norm < 1e-5);
    s_B.push_back(few.coefficients.b);
    UNSCOPED_INFO("seed " << seed << ": s_B " << few.coefficients.b);
    standard_errors.push_back(TopicBlockScoresStandardErrors(objective, W_V, LossKind::kSquared, few.coefficients).b);
  }
  double mean = 0.0, predicted = 0.0;
  for (size_t k = 0; k < s_B.size(); ++k) {
    mean += s_B[k] / s_B.size();
    predicted += standard_errors[k] / s_B.size();
  }
  double variance = 0.0;
  for (const double b : s_B) variance += (b - mean) * (b - mean) / (s_B.size() - 1);
  const double observed = std::sqrt(variance);
  INFO("s_B mean " << mean << ", observed spread " << observed << ", sandwich standard error " << predicted);
  // With 12 samples the observed standard deviation is itself uncertain by about 1/sqrt(2 * 11) = 21%.
  CHECK(predicted > 0.55 * observed);
  CHECK(predicted < 1.8 * observed);
}

}  // namespace
}  // namespace ldaformer::solvers
