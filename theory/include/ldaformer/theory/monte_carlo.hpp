// Monte Carlo estimates of population quantities, with standard errors.
//
// Documents are drawn by SampleDocument (seeded, counter-based): estimates are reproducible and
// bit-identical for any thread count. Every quantity is per selected token: sum over documents of the
// per-target sums, divided by the number of targets (a ratio estimator with delta-method errors).
#pragma once

#include <cstdint>

#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

struct MonteCarloOptions {
  std::uint64_t documents = 20000;  // number of sampled documents
  std::uint64_t seed = 1;
  int threads = 0;  // 0: DefaultThreads()
  TargetPositions targets = TargetPositions::kEveryPosition;
  int infinite_length = 2000;  // the N used for an infinite length law (exact is preferred)
};

struct ScalarEstimate {
  double value = 0.0;
  double standard_error = 0.0;
  std::uint64_t documents = 0;
  double targets = 0.0;  // target tokens used
};

// Elementwise estimates of a matrix quantity.
struct MatrixEstimate {
  Matrix value;
  Matrix standard_error;
};

// Monte Carlo versions of the exact second moments (A, C, E[xbar]).
struct SecondMomentEstimate {
  MatrixEstimate A, C, xbar_mean;
  std::uint64_t documents = 0;
};

// The population loss of the uniform-attention linear predictor y = M xbar + b.
ScalarEstimate MonteCarloLoss(const Scenario& scenario, const LinearPredictor& predictor, LossKind loss,
                              const MonteCarloOptions& options);

// The population loss of the full one-layer transformer (softmax attention over the scenario's key
// set, which may be empty: then y = 0). Each document is read as a KeyMultiset and its logits come
// from GroupLogits, once per group of targets with the same query and keys.
ScalarEstimate MonteCarloLoss(const Scenario& scenario, const TransformerParams& params, LossKind loss,
                              const MonteCarloOptions& options);

// The reference for the MonteCarloLoss of the full model: the same documents and the same estimate, computed
// directly, the key list of every target written out position by position and OneLayerLogits called
// per target (O(N^2 d) per document). Agrees with MonteCarloLoss up to summation order; the tests and
// monte_carlo_benchmark compare the two.
ScalarEstimate ReferenceMonteCarloLoss(const Scenario& scenario, const TransformerParams& params, LossKind loss,
                                       const MonteCarloOptions& options);

// A, C and E[xbar] by Monte Carlo.
SecondMomentEstimate MonteCarloSecondMoments(const Scenario& scenario, const MonteCarloOptions& options);

// The gradient of the squared loss of y = M xbar + b: dL/dM (value.leftCols(n)) and dL/db (last
// column), an n x (n + 1) estimate.
MatrixEstimate MonteCarloSquaredLossGradient(const Scenario& scenario, const LinearPredictor& predictor,
                                             const MonteCarloOptions& options);

}  // namespace ldaformer::theory
