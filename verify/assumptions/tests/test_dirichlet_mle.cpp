// Dirichlet MLE: the fixed points against independent checks (the likelihood's gradient, finite
// differences) and the recovery of generating alphas.
#include <cmath>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <catch2/catch.hpp>

#include "ldaformer/assumptions/dirichlet_mle.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/rng.hpp"

using namespace ldaformer;
using theory::Matrix;
using theory::Vector;

namespace {

Matrix SampleThetas(const theory::DocumentPrior& prior, int documents, std::uint64_t seed) {
  Matrix thetas(documents, prior.T);
  for (int d = 0; d < documents; ++d) {
    theory::Rng rng = theory::StreamFor(seed, d);
    thetas.row(d) = prior.Sample(rng).transpose();
  }
  return thetas;
}

// Topic counts n_d ~ Multinomial(N, theta_d), drawn as a chain of binomials.
Matrix SampleCounts(const Matrix& thetas, int N, std::uint64_t seed) {
  Matrix counts = Matrix::Zero(thetas.rows(), thetas.cols());
  for (Eigen::Index d = 0; d < thetas.rows(); ++d) {
    theory::Rng rng = theory::StreamFor(seed, d);
    int left = N;
    double mass = 1.0;
    for (Eigen::Index k = 0; k < thetas.cols() && left > 0; ++k) {
      const double p = k + 1 == thetas.cols() ? 1.0 : std::min(1.0, thetas(d, k) / mass);
      const int n = boost::random::binomial_distribution<int>(left, p)(rng);
      counts(d, k) = n;
      left -= n;
      mass -= thetas(d, k);
    }
  }
  return counts;
}

}  // namespace

TEST_CASE("InverseDigamma inverts Boost's digamma over 12 decades", "[assumptions][dirichlet]") {
  for (const double x : {1e-6, 1e-3, 0.05, 0.1, 0.5, 1.0, 3.7, 42.0, 1e3, 1e6}) {
    const double y = boost::math::digamma(x);
    CHECK(assumptions::InverseDigamma(y) == Approx(x).epsilon(1e-12));
  }
  CHECK_THROWS_AS(assumptions::InverseDigamma(std::nan("")), std::invalid_argument);
}

TEST_CASE("FitDirichlet recovers the paper's alpha = 0.1 from the true thetas within 10%", "[assumptions][dirichlet]") {
  const theory::Scenario scenario = theory::PaperSyntheticScenario();
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 2000, 7);
  Matrix thetas(corpus.thetas.size(), 10);
  for (std::size_t d = 0; d < corpus.thetas.size(); ++d) thetas.row(d) = corpus.thetas[d].transpose();

  const assumptions::DirichletFit fit = assumptions::FitDirichlet(thetas);
  REQUIRE(fit.converged);
  for (Eigen::Index k = 0; k < 10; ++k) CHECK(fit.alpha[k] == Approx(0.1).epsilon(0.10));
  assumptions::DirichletMleOptions symmetric;
  symmetric.symmetric = true;
  const assumptions::DirichletFit shared = assumptions::FitDirichlet(thetas, symmetric);
  REQUIRE(shared.converged);
  CHECK(shared.alpha[0] == Approx(0.1).epsilon(0.05));

  // At the MLE the gradient d/d alpha_k = D (psi(alpha_0) - psi(alpha_k) + mean_d log theta_dk) vanishes.
  const Vector mean_log = thetas.array().log().colwise().mean().transpose();
  for (Eigen::Index k = 0; k < 10; ++k) {
    const double gradient = boost::math::digamma(fit.Alpha0()) - boost::math::digamma(fit.alpha[k]) + mean_log[k];
    CHECK(std::abs(gradient) < 1e-8);
  }
  // And it is a maximum: moving any alpha_k by 1% lowers the likelihood.
  for (Eigen::Index k = 0; k < 10; ++k) {
    for (const double factor : {0.99, 1.01}) {
      Vector moved = fit.alpha;
      moved[k] *= factor;
      CHECK(assumptions::DirichletLogLikelihood(thetas, moved) < fit.log_likelihood);
    }
  }
}

TEST_CASE("FitDirichlet recovers an asymmetric alpha, and a wrong family shows in the second moment",
          "[assumptions][dirichlet]") {
  Vector alpha(5);
  alpha << 0.05, 0.2, 0.5, 1.0, 3.0;
  const Matrix thetas = SampleThetas(theory::DocumentPrior::Dirichlet(alpha), 4000, 11);
  const assumptions::DirichletFit fit = assumptions::FitDirichlet(thetas);
  REQUIRE(fit.converged);
  for (Eigen::Index k = 0; k < 5; ++k) CHECK(fit.alpha[k] == Approx(alpha[k]).epsilon(0.10));

  // Negative control: topics 0 and 1 always appear together (theta_1 = theta_0, renormalised), which no
  // Dirichlet can do (its components are negatively correlated); the fitted Dirichlet's E[theta theta^T]
  // misses the empirical one by far more than sampling noise.
  Matrix paired = SampleThetas(theory::DocumentPrior::SymmetricDirichlet(5, 0.3), 4000, 12);
  paired.col(1) = paired.col(0);
  paired.array().colwise() /= paired.rowwise().sum().array();
  const assumptions::DirichletFit wrong = assumptions::FitDirichlet(paired);
  const Matrix empirical = paired.transpose() * paired / paired.rows();
  const Matrix model = theory::DocumentPrior::Dirichlet(wrong.alpha).SecondMoment();
  CHECK((empirical - model).norm() / empirical.norm() > 0.2);
  const Matrix model_ok = theory::DocumentPrior::Dirichlet(fit.alpha).SecondMoment();
  const Matrix empirical_ok = thetas.transpose() * thetas / thetas.rows();
  CHECK((empirical_ok - model_ok).norm() / empirical_ok.norm() < 0.05);
}

TEST_CASE("FitDirichletMultinomial recovers alpha from topic counts alone", "[assumptions][dirichlet]") {
  const Matrix thetas = SampleThetas(theory::DocumentPrior::SymmetricDirichlet(10, 0.1), 2000, 21);
  const Matrix counts = SampleCounts(thetas, 120, 22);
  REQUIRE((counts.rowwise().sum().array() == 120.0).all());
  const assumptions::DirichletFit fit = assumptions::FitDirichletMultinomial(counts, Vector::Constant(10, 1.0));
  REQUIRE(fit.converged);
  for (Eigen::Index k = 0; k < 10; ++k) CHECK(fit.alpha[k] == Approx(0.1).epsilon(0.10));
  assumptions::DirichletMleOptions symmetric;
  symmetric.symmetric = true;
  const assumptions::DirichletFit shared =
      assumptions::FitDirichletMultinomial(counts, Vector::Constant(10, 1.0), symmetric);
  CHECK(shared.alpha[0] == Approx(0.1).epsilon(0.05));
  // Central finite differences of the Polya log-likelihood vanish at the fit.
  for (Eigen::Index k = 0; k < 10; ++k) {
    const double h = 1e-5 * fit.alpha[k];
    Vector up = fit.alpha, down = fit.alpha;
    up[k] += h;
    down[k] -= h;
    const double slope = (assumptions::DirichletMultinomialLogLikelihood(counts, up) -
                          assumptions::DirichletMultinomialLogLikelihood(counts, down)) /
                         (2 * h);
    CHECK(std::abs(slope) < 1e-3 * counts.rows());
  }
}

TEST_CASE("Dirichlet MLE rejects data outside its domain", "[assumptions][dirichlet]") {
  Matrix thetas(3, 2);
  thetas << 0.5, 0.5, 1.0, 0.0, 0.3, 0.7;
  CHECK_THROWS_WITH(assumptions::FitDirichlet(thetas), Catch::Contains("theta[1][1] must be finite and > 0"));
  Matrix counts(2, 2);
  counts << 3, -1, 2, 2;
  CHECK_THROWS_WITH(assumptions::FitDirichletMultinomial(counts, Vector::Ones(2)), Catch::Contains("count[0][1]"));
  CHECK_THROWS_WITH(assumptions::FitDirichletMultinomial(Matrix::Ones(2, 2), Vector::Ones(3)),
                    Catch::Contains("initial alphas"));
}
