// Maximum-likelihood Dirichlet priors by Minka's fixed-point iterations (T. Minka, "Estimating a Dirichlet
// distribution", 2000/2012), with Boost.Math's digamma and trigamma.
//
// Two kinds of data:
//   - observed proportions theta_d (a sampled corpus keeps its true thetas): maximise
//       sum_d log Dir(theta_d | alpha),  fixed point  psi(alpha_k) = psi(alpha_0) + mean_d log theta_dk;
//   - topic counts n_dk per document (a Gibbs sample of the topic assignments): maximise the
//     Dirichlet-multinomial (Polya) likelihood, fixed point
//       alpha_k <- alpha_k sum_d [psi(n_dk + alpha_k) - psi(alpha_k)] / sum_d [psi(N_d + alpha_0) - psi(alpha_0)].
// Minka shows that each update increases the likelihood; both converge to the unique maximum.
#pragma once

#include <string>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::assumptions {

struct DirichletMleOptions {
  bool symmetric = false;  // fit one alpha shared by all K components
  int max_iterations = 1000;
  double tolerance = 1e-10;  // stop when max_k |alpha_new_k - alpha_k| <= tolerance * alpha_k
};

// The fitted concentration vector alpha (K entries; all equal when symmetric) and how the iteration ended.
struct DirichletFit {
  theory::Vector alpha;
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0.0;  // at alpha: sum_d log Dir(theta_d) or sum_d log Polya(n_d)

  double Alpha0() const { return alpha.sum(); }
  std::string BriefReport() const;
};

// psi^-1(y): the x > 0 with digamma(x) = y, by Newton's method on trigamma from Minka's starting point.
double InverseDigamma(double y);

// MLE from proportions: `thetas` is D x K, each row on the open simplex (entries > 0). Throws
// std::invalid_argument naming the row and column of a non-positive or non-finite entry, or when D < 2.
DirichletFit FitDirichlet(const theory::Matrix& thetas, const DirichletMleOptions& options = {});

// MLE from counts: `counts` is D x K, non-negative, each row the topic counts of one document.
// `initial_alpha` (K entries, > 0) starts the iteration. Throws std::invalid_argument on negative counts,
// a size mismatch, or data with fewer than 2 documents of 2 or more tokens.
DirichletFit FitDirichletMultinomial(const theory::Matrix& counts, const theory::Vector& initial_alpha,
                                     const DirichletMleOptions& options = {});

// The log-likelihoods the two fits maximise, for checks and reports.
double DirichletLogLikelihood(const theory::Matrix& thetas, const theory::Vector& alpha);
double DirichletMultinomialLogLikelihood(const theory::Matrix& counts, const theory::Vector& alpha);

}  // namespace ldaformer::assumptions
