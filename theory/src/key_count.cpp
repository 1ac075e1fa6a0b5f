#include "ldaformer/theory/key_count.hpp"

#include <cmath>

#include <boost/math/quadrature/tanh_sinh.hpp>

namespace ldaformer::theory {

namespace {

// 1 - (1 - q)^M.
double OneMinusPower(double q, double M) { return q >= 1.0 ? 1.0 : -std::expm1(M * std::log1p(-q)); }

// About 100 integrand evaluations per quadrature: the walk is cheaper while max M is below this many
// steps per value.
constexpr double kStepsPerQuadrature = 100.0;

}  // namespace

double KeyPresentProbability(int M, double q) { return M <= 0 ? 0.0 : OneMinusPower(q, M); }

double InverseKeyCountMoment(int M, double q) {
  if (M <= 0 || q <= 0.0) return 0.0;
  if (q >= 1.0) return 1.0 / M;
  const double p = 1.0 - q;
  const double log_p_M = M * std::log1p(-q);
  // In u = 1 - t the mass sits near u = 0 for large M, where tanh-sinh places its points without
  // rounding: (p + q t)^M - p^M = (1 - q u)^M - p^M, as exp(a) (1 - exp(log p^M - a)) since both terms
  // are close to 1 for small q.
  auto integrand = [&](double u) {
    if (u >= 1.0) return M * q * std::pow(p, M - 1);
    const double a = M * std::log1p(-q * u);
    return -std::exp(a) * std::expm1(log_p_M - a) / (1.0 - u);
  };
  // Its abscissa tables are built once per thread (integrate() is not const in Boost 1.74).
  thread_local boost::math::quadrature::tanh_sinh<double> integrator;
  return integrator.integrate(integrand, 0.0, 1.0, 1e-13);
}

std::vector<double> InverseKeyCountMoments(const std::vector<int>& Ms, double q) {
  std::vector<double> out(Ms.size(), 0.0);
  if (Ms.empty() || q <= 0.0) return out;
  const int M_max = Ms.back();
  if (M_max > kStepsPerQuadrature * double(Ms.size())) {
    for (size_t i = 0; i < Ms.size(); ++i) out[i] = InverseKeyCountMoment(Ms[i], q);
    return out;
  }
  const double p = 1.0 - q;
  double f = 0.0;  // f(M) for the current M, starting at f(0) = 0
  size_t i = 0;
  while (i < Ms.size() && Ms[i] <= 0) ++i;
  for (int M = 1; M <= M_max && i < Ms.size(); ++M) {
    f = p * f + OneMinusPower(q, M) / M;
    while (i < Ms.size() && Ms[i] == M) out[i++] = f;
  }
  return out;
}

}  // namespace ldaformer::theory
