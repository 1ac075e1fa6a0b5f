#include "ldaformer/assumptions/dirichlet_mle.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

namespace ldaformer::assumptions {

using boost::math::digamma;
using boost::math::trigamma;
using theory::Matrix;
using theory::Vector;

std::string DirichletFit::BriefReport() const {
  return fmt::format("alpha_0 = {:.6g} (mean alpha {:.6g}, min {:.6g}, max {:.6g}), {} after {} iterations", Alpha0(),
                     alpha.mean(), alpha.minCoeff(), alpha.maxCoeff(), converged ? "converged" : "NOT converged",
                     iterations);
}

double InverseDigamma(double y) {
  if (!std::isfinite(y)) throw std::invalid_argument(fmt::format("InverseDigamma: y must be finite, got {}", y));
  // Minka's starting point: exp(y) + 1/2 for large y, -1/(y + gamma) for small y (psi(x) ~ -1/x - gamma).
  const double euler_gamma = -digamma(1.0);
  double x = y >= -2.22 ? std::exp(y) + 0.5 : -1.0 / (y + euler_gamma);
  for (int i = 0; i < 100; ++i) {
    const double step = (digamma(x) - y) / trigamma(x);
    // psi is increasing and concave, so Newton from this start stays positive; the guard keeps it so.
    x = step < x ? x - step : x / 2.0;
    if (std::abs(step) <= 1e-15 * x) break;
  }
  return x;
}

namespace {

bool Converged(const Vector& next, const Vector& current, double tolerance) {
  return ((next - current).array().abs() <= tolerance * current.array()).all();
}

// alpha <- next_alpha(alpha) from fit.alpha until every component moves by less than the relative
// tolerance (fit.converged) or options.max_iterations updates were made.
template <class Update>
void IterateToFixedPoint(DirichletFit& fit, const DirichletMleOptions& options, Update next_alpha) {
  for (fit.iterations = 1; fit.iterations <= options.max_iterations; ++fit.iterations) {
    const Vector next = next_alpha(fit.alpha);
    const bool done = Converged(next, fit.alpha, options.tolerance);
    fit.alpha = next;
    if (done) {
      fit.converged = true;
      return;
    }
  }
  fit.iterations = options.max_iterations;
}

void ValidateOptions(const DirichletMleOptions& options) {
  if (options.max_iterations < 1) {
    throw std::invalid_argument(
        fmt::format("Dirichlet MLE: max_iterations must be >= 1, got {}", options.max_iterations));
  }
  if (!(options.tolerance > 0.0)) {
    throw std::invalid_argument(fmt::format("Dirichlet MLE: tolerance must be > 0, got {}", options.tolerance));
  }
}

}  // namespace

double DirichletLogLikelihood(const Matrix& thetas, const Vector& alpha) {
  const double D = static_cast<double>(thetas.rows());
  const Vector mean_log = thetas.array().log().colwise().mean().transpose();
  double per_document = std::lgamma(alpha.sum());
  for (Eigen::Index k = 0; k < alpha.size(); ++k) {
    per_document += -std::lgamma(alpha[k]) + (alpha[k] - 1.0) * mean_log[k];
  }
  return D * per_document;
}

DirichletFit FitDirichlet(const Matrix& thetas, const DirichletMleOptions& options) {
  ValidateOptions(options);
  if (thetas.rows() < 2 || thetas.cols() < 2) {
    throw std::invalid_argument(fmt::format("Dirichlet MLE: need at least 2 documents and 2 topics, got {} x {}",
                                            thetas.rows(), thetas.cols()));
  }
  for (Eigen::Index d = 0; d < thetas.rows(); ++d) {
    for (Eigen::Index k = 0; k < thetas.cols(); ++k) {
      if (!(thetas(d, k) > 0.0) || !std::isfinite(thetas(d, k))) {
        throw std::invalid_argument(
            fmt::format("Dirichlet MLE: theta[{}][{}] must be finite and > 0 (the Dirichlet density needs the open "
                        "simplex), got {}",
                        d, k, thetas(d, k)));
      }
    }
  }
  const Eigen::Index K = thetas.cols();
  const Vector mean_log = thetas.array().log().colwise().mean().transpose();
  // Start from the moment match of Minka's eq. (23): alpha_0 from the variance of the first component.
  const Vector mean = thetas.colwise().mean().transpose();
  const double second = thetas.col(0).squaredNorm() / thetas.rows();
  const double spread = (mean[0] - second) / std::max(second - mean[0] * mean[0], 1e-300);
  DirichletFit fit;
  fit.alpha = mean * std::clamp(spread, 1e-3, 1e6);
  if (options.symmetric) fit.alpha.setConstant(fit.alpha.mean());
  IterateToFixedPoint(fit, options, [&](const Vector& alpha) {
    const double psi0 = digamma(alpha.sum());
    Vector next(K);
    if (options.symmetric) {
      // The symmetric likelihood's stationarity condition: psi(alpha) = psi(K alpha) + mean_k mean_log_k.
      next.setConstant(InverseDigamma(psi0 + mean_log.mean()));
    } else {
      for (Eigen::Index k = 0; k < K; ++k) next[k] = InverseDigamma(psi0 + mean_log[k]);
    }
    return next;
  });
  fit.log_likelihood = DirichletLogLikelihood(thetas, fit.alpha);
  return fit;
}

double DirichletMultinomialLogLikelihood(const Matrix& counts, const Vector& alpha) {
  // log P(n_d | alpha) up to the multinomial coefficient, which does not depend on alpha.
  const double a0 = alpha.sum();
  double total = 0.0;
  for (Eigen::Index d = 0; d < counts.rows(); ++d) {
    total += std::lgamma(a0) - std::lgamma(counts.row(d).sum() + a0);
    for (Eigen::Index k = 0; k < counts.cols(); ++k)
      total += std::lgamma(counts(d, k) + alpha[k]) - std::lgamma(alpha[k]);
  }
  return total;
}

DirichletFit FitDirichletMultinomial(const Matrix& counts, const Vector& initial_alpha,
                                     const DirichletMleOptions& options) {
  ValidateOptions(options);
  if (initial_alpha.size() != counts.cols() || counts.cols() < 2) {
    throw std::invalid_argument(fmt::format("Dirichlet-multinomial MLE: {} topics in the counts but {} initial alphas",
                                            counts.cols(), initial_alpha.size()));
  }
  if (!(initial_alpha.array() > 0.0).all() || !initial_alpha.allFinite()) {
    throw std::invalid_argument("Dirichlet-multinomial MLE: every initial alpha must be finite and > 0");
  }
  int informative = 0;
  for (Eigen::Index d = 0; d < counts.rows(); ++d) {
    for (Eigen::Index k = 0; k < counts.cols(); ++k) {
      if (!(counts(d, k) >= 0.0) || !std::isfinite(counts(d, k))) {
        throw std::invalid_argument(fmt::format(
            "Dirichlet-multinomial MLE: count[{}][{}] must be finite and >= 0, got {}", d, k, counts(d, k)));
      }
    }
    informative += counts.row(d).sum() >= 2.0;
  }
  if (informative < 2) {
    throw std::invalid_argument(
        fmt::format("Dirichlet-multinomial MLE: need at least 2 documents with 2 or more tokens, got {}", informative));
  }
  const Eigen::Index K = counts.cols();
  const Vector lengths = counts.rowwise().sum();
  DirichletFit fit;
  fit.alpha = initial_alpha;
  if (options.symmetric) fit.alpha.setConstant(initial_alpha.mean());
  IterateToFixedPoint(fit, options, [&](const Vector& alpha) {
    const double a0 = alpha.sum();
    const double psi_a0 = digamma(a0);
    double denominator = 0.0;
    for (Eigen::Index d = 0; d < counts.rows(); ++d) denominator += digamma(lengths[d] + a0) - psi_a0;
    Vector numerator = Vector::Zero(K);
    for (Eigen::Index k = 0; k < K; ++k) {
      const double psi_k = digamma(alpha[k]);
      for (Eigen::Index d = 0; d < counts.rows(); ++d) numerator[k] += digamma(counts(d, k) + alpha[k]) - psi_k;
    }
    Vector next(K);
    if (options.symmetric) {
      // The same update with the K components pooled: alpha <- alpha sum_k num_k / (K denominator).
      next.setConstant(alpha[0] * numerator.sum() / (static_cast<double>(K) * denominator));
    } else {
      next = alpha.cwiseProduct(numerator) / denominator;
    }
    // A topic no document uses drives alpha_k to 0; a floor keeps psi finite and is reported as such.
    return Vector(next.cwiseMax(1e-12));
  });
  fit.log_likelihood = DirichletMultinomialLogLikelihood(counts, fit.alpha);
  return fit;
}

}  // namespace ldaformer::assumptions
