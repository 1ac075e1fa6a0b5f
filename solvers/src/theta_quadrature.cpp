#include "ldaformer/solvers/theta_quadrature.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_01.hpp>

#include "ldaformer/theory/rng.hpp"

namespace ldaformer::solvers {

namespace {

using theory::Matrix;
using theory::Vector;

// log of the Gamma(alpha, 1) quantile at u in (0, 1). For small alpha the quantile of a small u
// underflows (it is about (u Gamma(alpha + 1))^(1/alpha)); there the leading term of the lower tail,
// exact to relative O(G), keeps the logarithm finite so that theta = G / sum G stays well defined.
double LogGammaQuantile(double alpha, double u) {
  u = std::max(u, std::numeric_limits<double>::denorm_min());
  const double G = boost::math::quantile(boost::math::gamma_distribution<double>(alpha, 1.0), u);
  if (G > 1e-280) return std::log(G);
  return (std::log(u) + boost::math::lgamma(alpha + 1.0)) / alpha;
}

ThetaQuadrature RandomizedQmc(const Vector& alpha, int points, std::uint64_t seed) {
  const int T = static_cast<int>(alpha.size());
  theory::Rng rng = theory::StreamFor(seed, 0);
  boost::random::uniform_01<double> uniform;
  Vector shift(T);
  for (int t = 0; t < T; ++t) shift[t] = uniform(rng);

  boost::random::sobol sobol(T);
  const double scale = std::ldexp(1.0, -64);  // the 64-bit Sobol integers to [0, 1)
  ThetaQuadrature q;
  q.method = ThetaQuadrature::Method::kRandomizedQmc;
  Vector log_G(T);
  for (int k = 0; k < points; ++k) {
    for (int t = 0; t < T; ++t) {
      const double x = static_cast<double>(sobol()) * scale + shift[t];
      log_G[t] = LogGammaQuantile(alpha[t], x - std::floor(x));
    }
    const Vector G = (log_G.array() - log_G.maxCoeff()).exp();
    q.points.push_back(G / G.sum());
  }
  q.weights.assign(points, 1.0 / points);
  return q;
}

ThetaQuadrature MonteCarlo(const theory::DocumentPrior& prior, int points, std::uint64_t seed) {
  ThetaQuadrature q;
  q.method = ThetaQuadrature::Method::kMonteCarlo;
  for (int k = 0; k < points; ++k) {
    theory::Rng rng = theory::StreamFor(seed, static_cast<std::uint64_t>(k));
    q.points.push_back(prior.Sample(rng));
  }
  q.weights.assign(points, 1.0 / points);
  return q;
}

}  // namespace

ThetaQuadrature ThetaQuadrature::ForPrior(const theory::DocumentPrior& prior, int points, std::uint64_t seed) {
  if (points < 1) throw std::invalid_argument(fmt::format("quadrature.points must be >= 1, got {}", points));
  const auto max_dimension = boost::random::default_sobol_table::max_dimension;
  if (prior.kind == theory::DocumentPrior::Kind::kDirichlet && static_cast<unsigned>(prior.T) <= max_dimension) {
    return RandomizedQmc(prior.alpha, points, seed);
  }
  return MonteCarlo(prior, points, seed);
}

Vector ThetaQuadrature::Mean() const {
  Vector mean = Vector::Zero(points.front().size());
  for (int k = 0; k < size(); ++k) mean += weights[k] * points[k];
  return mean;
}

Matrix ThetaQuadrature::SecondMoment() const {
  const auto T = points.front().size();
  Matrix second = Matrix::Zero(T, T);
  for (int k = 0; k < size(); ++k) second += weights[k] * points[k] * points[k].transpose();
  return second;
}

}  // namespace ldaformer::solvers
