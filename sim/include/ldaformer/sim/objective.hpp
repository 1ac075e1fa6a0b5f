// The training objective of a minibatch and its gradient, by a hand-written backward pass.
//
// For a batch of masked examples with target set S (all selected positions of all examples),
//     objective = (1/|S|) sum_{i in S} loss(y_i, w_i) + sum_X lambda_X ||X||_F^2,
// the loss per selected token plus the L2 penalty on each trained matrix (model.hpp). The forward pass
// goes through the token tables of theory/transformer.hpp (scores S = (W^Q E)^T (W^K E) / sqrt(d_k),
// values V = W^V E, decoder E^T when tied), so the backward pass first accumulates dL/dS, dL/dV and
// dL/d(E^T) over the batch and then applies the chain rule to the matrices once:
//     dW^V = dV E^T,   dW^Q = (W^K E) dS^T E^T / sqrt(d_k),   dW^K = (W^Q E) dS E^T / sqrt(d_k),
//     dE   = W^V^T dV + (W^Q)^T (W^K E) dS^T / sqrt(d_k) + (W^K)^T (W^Q E) dS / sqrt(d_k) + dDecoder^T,
// the terms in dS by theory::ScoreChainRule (score_gradient.hpp), which the attention flow shares.
#pragma once

#include <cstddef>
#include <vector>

#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::sim {

// dObjective/dX for each matrix X of the parameters; all zero for a frozen matrix.
struct ModelGradient {
  theory::Matrix E, W_K, W_Q, W_V;
};

struct Evaluation {
  double objective = 0.0;   // data_loss + penalty
  double data_loss = 0.0;   // mean loss per selected token; 0 when the batch has no targets
  double penalty = 0.0;     // sum_X lambda_X ||X||_F^2 over the trained matrices
  std::size_t targets = 0;  // |S|
};

// Evaluates the objective on `batch` and, when `gradient` is not null, its gradient. Examples are
// summed in fixed blocks merged in order (theory::DeterministicParallelReduce), so the result is
// bit-identical for any `threads` >= 1. `params` must fit `config` (InitialParams builds such).
Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<MaskedExample>& batch, ModelGradient* gradient, int threads = 1);

}  // namespace ldaformer::sim
