// Claim D's flow: its vector field is minus the gradient of L(W^Q^T W^K / sqrt(d_k), W^V) + lambda_V |W^V|^2
// (checked against central differences of that objective), and with W^K, W^Q near zero W^V settles at
// the penalised optimum under uniform attention (checked against a linear solve).
#include <cmath>

#include <catch2/catch.hpp>

#include "ldaformer/solvers/attention_flow.hpp"
#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/rng.hpp"

namespace ldaformer::solvers {
namespace {

using theory::LossKind;
using theory::Matrix;

theory::Scenario SmallFiniteA1() {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = "d-small";
  s.topics = theory::TopicModel::DisjointUniform(2, 6);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(2, 0.2);
  s.length = theory::LengthDistribution::Fixed(10);
  s.Validate();
  return s;
}

// The penalised objective at the flow's initial point, in the flow's own parametrisation.
struct Objective {
  const AttentionObjective& attention;
  LossKind loss;
  double lambda_V;
  int d_k;
  double operator()(const Matrix& K, const Matrix& Q, const Matrix& V) const {
    return attention.Loss(Q.transpose() * K / std::sqrt(double(d_k)), V, loss) + lambda_V * V.squaredNorm();
  }
};

TEST_CASE("D flow: the initial slope of the loss is minus the squared gradient norm", "[solvers][D]") {
  const theory::Scenario scenario = SmallFiniteA1();
  const AttentionObjective attention = AttentionObjective::SampleAverage(scenario, 40, 3, 1);
  for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
    AttentionFlowOptions options;
    options.eps = 1.0;  // W^K, W^Q of order 1, so that their gradients are not negligible
    options.d_k = 3;
    options.lambda_V = 0.05;
    options.loss = loss;
    options.t_end = 1e-5;
    options.observations = 2;
    options.tolerance = 1e-12;
    const AttentionFlowTrajectory trajectory = FlowAttentionLayer(attention, options);
    REQUIRE(trajectory.t.size() == 3);

    // The flow starts where InitialFlowPoint says.
    AttentionFlowPoint initial = InitialFlowPoint(scenario.tokens().n(), options);
    CHECK(trajectory.norm_K[0] == initial.W_K.norm());
    CHECK(trajectory.norm_Q[0] == initial.W_Q.norm());
    CHECK(trajectory.norm_V[0] == initial.W_V.norm());
    const Objective f{attention, loss, options.lambda_V, options.d_k};
    double gradient_squared = 0.0;
    const double h = 1e-5;
    for (Matrix* X : {&initial.W_K, &initial.W_Q, &initial.W_V}) {
      for (Eigen::Index i = 0; i < X->size(); ++i) {
        const double x = X->data()[i];
        X->data()[i] = x + h;
        const double up = f(initial.W_K, initial.W_Q, initial.W_V);
        X->data()[i] = x - h;
        const double down = f(initial.W_K, initial.W_Q, initial.W_V);
        X->data()[i] = x;
        gradient_squared += std::pow((up - down) / (2 * h), 2);
      }
    }
    const double penalised_0 = trajectory.loss[0] + options.lambda_V * initial.W_V.squaredNorm();
    const double penalised_1 = trajectory.loss[2] + options.lambda_V * trajectory.W_V.squaredNorm();
    const double slope = (penalised_1 - penalised_0) / trajectory.t[2];
    INFO(theory::NameOf(loss) << ": slope " << slope << ", -|grad|^2 " << -gradient_squared);
    CHECK(slope == Approx(-gradient_squared).epsilon(1e-3));
  }
}

TEST_CASE("D flow: with W^K, W^Q near zero, W^V settles at the penalised uniform-attention optimum", "[solvers][D]") {
  const theory::Scenario scenario = SmallFiniteA1();
  const AttentionObjective attention = AttentionObjective::SampleAverage(scenario, 60, 5, 1);
  const int n = scenario.tokens().n();
  const double lambda_V = 1e-2;
  // At S = 0 the gradient in W^V is affine, G(W) = G(0) + W M, so the optimum solves W (M + 2 lambda I) = -G(0).
  Matrix G0, GI;
  attention.Loss(Matrix::Zero(n, n), Matrix::Zero(n, n), LossKind::kSquared, nullptr, &G0);
  attention.Loss(Matrix::Zero(n, n), Matrix::Identity(n, n), LossKind::kSquared, nullptr, &GI);
  const Matrix M = GI - G0;
  const Matrix optimum =
      (M + 2 * lambda_V * Matrix::Identity(n, n)).transpose().lu().solve(-G0.transpose()).transpose();

  AttentionFlowOptions options;
  options.eps = 1e-8;
  options.lambda_V = lambda_V;
  options.t_end = 1000;  // the slowest W^V mode decays like exp(-2 lambda_V t); W^K, W^Q stay below 1e-5
  options.tolerance = 1e-10;
  const AttentionFlowTrajectory trajectory = FlowAttentionLayer(attention, options);
  INFO("|W^K| " << trajectory.W_K.norm() << ", relative W^V error "
                << (trajectory.W_V - optimum).norm() / optimum.norm());
  CHECK(trajectory.W_K.norm() < 1e-5);
  CHECK((trajectory.W_V - optimum).norm() <= 1e-5 * optimum.norm());
}

TEST_CASE("D flow: bad options are refused with the field and the value", "[solvers][D]") {
  const AttentionObjective attention = AttentionObjective::SampleAverage(SmallFiniteA1(), 5, 1, 1);
  AttentionFlowOptions options;
  options.lambda_V = -1.0;
  CHECK_THROWS_WITH(FlowAttentionLayer(attention, options),
                    Catch::Contains("lambda_V must be finite and >= 0, got -1"));
  options = AttentionFlowOptions();
  options.eps = 0.0;
  CHECK_THROWS_WITH(FlowAttentionLayer(attention, options), Catch::Contains("eps must be finite and > 0, got 0"));
}

}  // namespace
}  // namespace ldaformer::solvers
