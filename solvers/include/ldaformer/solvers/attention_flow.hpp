// Claim D's experiment: the joint gradient flow of W^K, W^Q and W^V of the one-layer transformer (one-hot
// embedding, identity decoder, d = n) from a small initialisation, integrated by Boost.Odeint's adaptive
// Dormand-Prince 5(4) stepper on an AttentionObjective (N -> infinity or sample average).
//
// With S = W^Q^T W^K / sqrt(d_k) (S(q, a) = <W^K e_a, W^Q e_q> / sqrt(d_k), TokenTables' orientation) and
// G = dL/dS, the chain rule (theory::ScoreChainRule) gives dL/dW^K = W^Q G / sqrt(d_k) and
// dL/dW^Q = W^K G^T / sqrt(d_k): both vanish at W^K = W^Q = 0, and near it they are O(eps ||G||) with
// ||G|| = O(||W^V||), while dL/dW^V is O(1).
#pragma once

#include <cstdint>
#include <vector>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

struct AttentionFlowOptions {
  double eps = 1e-3;  // initial scale: entries eps * N(0, 1) / sqrt(n)
  int d_k = 0;        // rows of W^K and W^Q (0: n)
  double t_end = 2000.0;
  int observations = 80;    // log-spaced observation times (see ObservationTimes)
  double tolerance = 1e-7;  // absolute and relative error per step
  std::uint64_t seed = 1;   // the random direction of the initialisation (the same for every eps)
  theory::LossKind loss = theory::LossKind::kSquared;
  // The flow is that of L + lambda_V ||W^V||_F^2: with lambda_V > 0, W^V settles (at the T2 optimum when
  // S = 0) instead of creeping along the flat directions of a sample average.
  double lambda_V = 0.0;
};

struct AttentionFlowTrajectory {
  std::vector<double> t;
  std::vector<double> norm_K, norm_Q, norm_V;  // Frobenius norms at the observation times
  std::vector<double> loss;
  theory::Matrix W_K, W_Q, W_V;  // at t_end
  theory::Matrix S() const;      // W_Q^T W_K / sqrt(d_k) at t_end
  int rhs_evaluations = 0;
};

// A point of the flow: the key, query (d_k x n) and value (n x n) matrices.
struct AttentionFlowPoint {
  theory::Matrix W_K, W_Q, W_V;
};

// The flow's starting point for n tokens: i.i.d. eps N(0, 1) / sqrt(n) entries from StreamFor(seed, 0),
// drawn column by column for W^K, then W^Q, then W^V. Throws std::invalid_argument naming the option
// unless eps is finite and > 0 and n >= 1.
AttentionFlowPoint InitialFlowPoint(int n, const AttentionFlowOptions& options);

// Integrates the flow from InitialFlowPoint(n, options). Throws std::invalid_argument naming the option
// unless lambda_V is finite and >= 0 (and as InitialFlowPoint).
AttentionFlowTrajectory FlowAttentionLayer(const AttentionObjective& objective, const AttentionFlowOptions& options);

}  // namespace ldaformer::solvers
