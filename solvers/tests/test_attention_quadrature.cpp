// ThetaQuadrature: its moments against the prior's exact moments, within standard errors of repeats.
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "ldaformer/solvers/theta_quadrature.hpp"

namespace ldaformer::solvers {
namespace {

using theory::Matrix;
using theory::Vector;

// The largest |z| of `count` normal comparisons with family-wise false-alarm probability 1e-4.
double BonferroniZ(double count) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), 1e-4 / (2.0 * count)));
}

// E[theta] and E[theta theta^T] (packed as columns [mean | second]) over `repeats` independent seeds:
// the average and its standard error.
struct RepeatedMoments {
  Matrix mean, standard_error;
};

RepeatedMoments Repeat(const theory::DocumentPrior& prior, int points, int repeats) {
  const int T = prior.T;
  Matrix sum = Matrix::Zero(T, T + 1), sum_sq = Matrix::Zero(T, T + 1);
  for (int r = 0; r < repeats; ++r) {
    const ThetaQuadrature q = ThetaQuadrature::ForPrior(prior, points, 100 + r);
    Matrix x(T, T + 1);
    x << q.Mean(), q.SecondMoment();
    sum += x;
    sum_sq += x.cwiseProduct(x);
  }
  RepeatedMoments out;
  out.mean = sum / repeats;
  const Matrix variance = (sum_sq - sum.cwiseProduct(sum) / repeats) / (repeats - 1.0);
  out.standard_error = (variance.cwiseMax(0.0) / repeats).cwiseSqrt();
  return out;
}

Matrix ExactMoments(const theory::DocumentPrior& prior) {
  Matrix x(prior.T, prior.T + 1);
  x << prior.Mean(), prior.SecondMoment();
  return x;
}

// The standard error plain Monte Carlo would have with the same total number of points, from the exact
// variances Var(theta_t) = E[theta_t^2] - E[theta_t]^2.
Vector MonteCarloMeanError(const theory::DocumentPrior& prior, int total_points) {
  const Vector variance = prior.SecondMoment().diagonal() - prior.Mean().cwiseAbs2();
  return (variance / total_points).cwiseSqrt();
}

TEST_CASE("Theta quadrature: Dirichlet moments by randomised QMC within standard errors", "[solvers][T3]") {
  Vector asymmetric(3);
  asymmetric << 0.2, 1.0, 3.0;
  const int points = 256, repeats = 10;
  for (const auto& prior :
       {theory::DocumentPrior::SymmetricDirichlet(3, 0.1), theory::DocumentPrior::SymmetricDirichlet(10, 0.1),
        theory::DocumentPrior::Dirichlet(asymmetric)}) {
    INFO(prior.Describe());
    REQUIRE(ThetaQuadrature::ForPrior(prior, points, 1).method == ThetaQuadrature::Method::kRandomizedQmc);
    const RepeatedMoments rm = Repeat(prior, points, repeats);
    const Matrix exact = ExactMoments(prior);
    const double z = BonferroniZ(static_cast<double>(exact.size()));
    for (Eigen::Index i = 0; i < exact.size(); ++i) {
      INFO("entry " << i << ": exact " << exact.data()[i] << " qmc " << rm.mean.data()[i] << " se "
                    << rm.standard_error.data()[i]);
      CHECK(rm.standard_error.data()[i] > 0.0);
      CHECK(std::abs(rm.mean.data()[i] - exact.data()[i]) <= z * rm.standard_error.data()[i]);
    }
    // Power: the Sobol points must beat independent points. For T = 3 the QMC error of E[theta] is far
    // below Monte Carlo's; a broken low-discrepancy map (e.g. repeated points) fails here.
    const Vector mc_error = MonteCarloMeanError(prior, points * repeats);
    const Vector qmc_error = rm.standard_error.col(0);
    INFO("qmc se " << qmc_error.transpose() << " mc se " << mc_error.transpose());
    CHECK(qmc_error.maxCoeff() < mc_error.minCoeff());
  }
}

TEST_CASE("Theta quadrature: Monte Carlo for other priors within standard errors", "[solvers][T3]") {
  const auto prior = theory::DocumentPrior::UniformSubset(4, 2);
  REQUIRE(ThetaQuadrature::ForPrior(prior, 64, 1).method == ThetaQuadrature::Method::kMonteCarlo);
  const RepeatedMoments rm = Repeat(prior, 64, 20);
  const Matrix exact = ExactMoments(prior);
  const double z = BonferroniZ(static_cast<double>(exact.size()));
  for (Eigen::Index i = 0; i < exact.size(); ++i) {
    CHECK(std::abs(rm.mean.data()[i] - exact.data()[i]) <= z * rm.standard_error.data()[i]);
  }
}

TEST_CASE("Theta quadrature: points on the simplex, weights summing to 1, seeded", "[solvers][T3]") {
  // alpha = 0.01 drives gamma quantiles below the smallest double: the log-space tail must keep theta finite.
  for (const auto& prior :
       {theory::DocumentPrior::SymmetricDirichlet(2, 0.01), theory::DocumentPrior::SymmetricDirichlet(1, 0.5),
        theory::DocumentPrior::UniformSubset(3, 1)}) {
    const ThetaQuadrature q = ThetaQuadrature::ForPrior(prior, 128, 7);
    REQUIRE(q.size() == 128);
    double weight = 0.0;
    for (int k = 0; k < q.size(); ++k) {
      REQUIRE(q.points[k].allFinite());
      CHECK(q.points[k].minCoeff() >= 0.0);
      CHECK(q.points[k].sum() == Approx(1.0).epsilon(1e-14));
      weight += q.weights[k];
    }
    CHECK(weight == Approx(1.0).epsilon(1e-14));
    const ThetaQuadrature again = ThetaQuadrature::ForPrior(prior, 128, 7);
    const ThetaQuadrature other = ThetaQuadrature::ForPrior(prior, 128, 8);
    CHECK(again.points[5] == q.points[5]);
    if (q.method == ThetaQuadrature::Method::kRandomizedQmc && prior.T > 1) CHECK(other.points[5] != q.points[5]);
  }
  CHECK_THROWS_AS(ThetaQuadrature::ForPrior(theory::DocumentPrior::SymmetricDirichlet(3, 0.1), 0, 1),
                  std::invalid_argument);
}

}  // namespace
}  // namespace ldaformer::solvers
