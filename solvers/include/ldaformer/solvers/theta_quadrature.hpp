// Quadrature rules for expectations over the document-topic prior, E_theta[f(theta)].
//
// The N -> infinity objectives (docs/THEORY.md) only leave an expectation over theta, a (T-1)-dimensional
// integral of a smooth function: quasi-Monte Carlo converges much faster than Monte Carlo there.
#pragma once

#include <cstdint>
#include <vector>

#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// Points theta_k on the simplex with weights w_k (summing to 1) such that
//     E_theta[f(theta)] ~= sum_k w_k f(theta_k).
// Both rules are unbiased; their error is estimated by repeating the rule with independent seeds and
// taking the standard error of the repeats (for the randomised QMC rule the points of one seed are
// dependent, so the spread within one rule says nothing).
struct ThetaQuadrature {
  enum class Method {
    // Dirichlet priors: a Sobol sequence (boost::random::sobol, dimension T) with a Cranley-Patterson
    // shift u_k = frac(x_k + U), U uniform from the seed, mapped coordinate-wise through the
    // Gamma(alpha_t, 1) quantile: theta_t = G_t / sum_u G_u. Equal weights.
    kRandomizedQmc,
    // Every other prior: theta_k = prior.Sample(StreamFor(seed, k)), equal weights.
    kMonteCarlo,
  };

  Method method = Method::kMonteCarlo;
  std::vector<theory::Vector> points;  // theta_k, each a T-vector on the simplex
  std::vector<double> weights;         // w_k

  // The rule for `prior` with `points` points (a power of two suits Sobol best). Throws
  // std::invalid_argument naming the field unless points >= 1. A Dirichlet prior with more topics than
  // the Sobol table supports falls back to kMonteCarlo (recorded in `method`).
  static ThetaQuadrature ForPrior(const theory::DocumentPrior& prior, int points, std::uint64_t seed);

  int size() const { return static_cast<int>(points.size()); }
  // sum_k w_k theta_k, the rule's estimate of E[theta].
  theory::Vector Mean() const;
  // sum_k w_k theta_k theta_k^T, the rule's estimate of E[theta theta^T].
  theory::Matrix SecondMoment() const;
};

}  // namespace ldaformer::solvers
