#include "ldaformer/theory/document_prior.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace ldaformer::theory {

namespace {

void RequireTopics(int T, const char* field) {
  if (T < 1) throw std::invalid_argument(fmt::format("{} must be >= 1, got T={}", field, T));
}

}  // namespace

DocumentPrior DocumentPrior::SymmetricDirichlet(int T, double alpha) {
  RequireTopics(T, "prior.T");
  if (!std::isfinite(alpha) || alpha <= 0.0) {
    throw std::invalid_argument(fmt::format("prior.alpha must be finite and > 0, got {}", alpha));
  }
  return Dirichlet(Vector::Constant(T, alpha));
}

DocumentPrior DocumentPrior::Dirichlet(const Vector& alpha) {
  RequireTopics(static_cast<int>(alpha.size()), "prior.alpha length");
  for (Eigen::Index t = 0; t < alpha.size(); ++t) {
    if (!std::isfinite(alpha[t]) || alpha[t] <= 0.0) {
      throw std::invalid_argument(fmt::format("prior.alpha[{}] must be finite and > 0, got {}", t, alpha[t]));
    }
  }
  DocumentPrior prior;
  prior.kind = Kind::kDirichlet;
  if (!std::isfinite(alpha.sum())) {
    throw std::invalid_argument(fmt::format("prior.alpha must sum to a finite number, got {}", alpha.sum()));
  }
  prior.T = static_cast<int>(alpha.size());
  prior.alpha = alpha;
  return prior;
}

DocumentPrior DocumentPrior::UniformSubset(int T, int k) {
  RequireTopics(T, "prior.T");
  if (k < 1 || k > T) {
    throw std::invalid_argument(fmt::format("prior.k must be in [1, T={}], got k={}", T, k));
  }
  DocumentPrior prior;
  prior.kind = Kind::kUniformSubset;
  prior.T = T;
  prior.k = k;
  return prior;
}

DocumentPrior DocumentPrior::FromSampler(int T, std::function<Vector(Rng&)> sampler, std::optional<Vector> mean,
                                         std::optional<Matrix> second_moment) {
  RequireTopics(T, "prior.T");
  if (!sampler) throw std::invalid_argument("prior.sampler must be callable, got an empty function");
  if (mean && mean->size() != T) {
    throw std::invalid_argument(fmt::format("prior.mean must have T={} entries, got {}", T, mean->size()));
  }
  if (second_moment && (second_moment->rows() != T || second_moment->cols() != T)) {
    throw std::invalid_argument(fmt::format("prior.second_moment must be {0}x{0}, got {1}x{2}", T,
                                            second_moment->rows(), second_moment->cols()));
  }
  DocumentPrior prior;
  prior.kind = Kind::kSampler;
  prior.T = T;
  prior.sampler = std::move(sampler);
  prior.mean_override = std::move(mean);
  prior.second_override = std::move(second_moment);
  return prior;
}

Vector DocumentPrior::Mean() const {
  switch (kind) {
    case Kind::kDirichlet:
      return alpha / alpha.sum();
    case Kind::kUniformSubset:
      return Vector::Constant(T, 1.0 / T);
    case Kind::kSampler:
      if (mean_override) return *mean_override;
      throw std::logic_error("prior: the sampler prior has no exact mean; give one or use Monte Carlo");
  }
  throw std::logic_error("prior: unknown kind");
}

Matrix DocumentPrior::SecondMoment() const {
  switch (kind) {
    case Kind::kDirichlet: {
      // E[theta_t theta_u] = (alpha_t alpha_u + [t = u] alpha_t) / (alpha0 (alpha0 + 1)), written with the
      // mean p = alpha / alpha0 as (alpha0 p p^T + diag(p)) / (alpha0 + 1): no product of two alphas, so
      // it stays finite (and tends to p p^T) for every finite alpha; alpha0 (alpha0 + 1) overflows at 1e154.
      const double a0 = alpha.sum();
      const Vector p = alpha / a0;
      const double r = 1.0 / (a0 + 1.0);
      Matrix S = (a0 * r) * (p * p.transpose());
      S.diagonal() += r * p;
      return S;
    }
    case Kind::kUniformSubset: {
      // theta = 1_S / k for a uniform k-subset S: P(t in S) = k/T, P(t, u in S) = k(k-1)/(T(T-1)).
      const double diag = 1.0 / (static_cast<double>(k) * T);
      const double off = T > 1 ? (k - 1.0) / (static_cast<double>(k) * T * (T - 1.0)) : 0.0;
      Matrix S = Matrix::Constant(T, T, off);
      S.diagonal().setConstant(diag);
      return S;
    }
    case Kind::kSampler:
      if (second_override) return *second_override;
      throw std::logic_error("prior: the sampler prior has no exact second moment; give one or use Monte Carlo");
  }
  throw std::logic_error("prior: unknown kind");
}

bool DocumentPrior::HasExactMoments() const { return kind != Kind::kSampler || (mean_override && second_override); }

bool DocumentPrior::IsExchangeable() const {
  switch (kind) {
    case Kind::kDirichlet:
      return (alpha.array() == alpha[0]).all();
    case Kind::kUniformSubset:
      return true;
    case Kind::kSampler:
      return false;
  }
  return false;
}

Vector DocumentPrior::Sample(Rng& rng) const {
  switch (kind) {
    case Kind::kDirichlet: {
      // theta = g / sum(g) with g_t ~ Gamma(alpha_t, 1). If every g_t underflows to 0 (probability
      // below 1e-300 for alpha >= 0.01), a vertex of the simplex is returned instead of 0/0.
      Vector g(T);
      for (int t = 0; t < T; ++t) g[t] = boost::random::gamma_distribution<double>(alpha[t])(rng);
      const double total = g.sum();
      if (total > 0.0) return g / total;
      Vector theta = Vector::Zero(T);
      theta[boost::random::uniform_int_distribution<int>(0, T - 1)(rng)] = 1.0;
      return theta;
    }
    case Kind::kUniformSubset: {
      // A partial Fisher-Yates shuffle picks the k topics.
      std::vector<int> topics(T);
      std::iota(topics.begin(), topics.end(), 0);
      Vector theta = Vector::Zero(T);
      for (int i = 0; i < k; ++i) {
        const int j = boost::random::uniform_int_distribution<int>(i, T - 1)(rng);
        std::swap(topics[i], topics[j]);
        theta[topics[i]] = 1.0 / k;
      }
      return theta;
    }
    case Kind::kSampler:
      return sampler(rng);
  }
  throw std::logic_error("prior: unknown kind");
}

std::string DocumentPrior::Describe() const {
  switch (kind) {
    case Kind::kDirichlet:
      if (IsExchangeable()) return fmt::format("Dirichlet(alpha={:g}, T={})", alpha[0], T);
      return fmt::format("Dirichlet(asymmetric, sum alpha={:g}, T={})", alpha.sum(), T);
    case Kind::kUniformSubset:
      return fmt::format("uniform {}-of-{} topics", k, T);
    case Kind::kSampler:
      return fmt::format("sampler (T={})", T);
  }
  return "unknown";
}

}  // namespace ldaformer::theory
