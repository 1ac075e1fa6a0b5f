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
//
// Every target of an example reads the same key positions, so an example is one key multiset
// (theory/key_multiset.hpp) and its targets group by query token. With u distinct key tokens, a group costs
// O(u d) forward and backward (softmax over distinct tokens with count weights; dL/dV_a and dL/dS(q, a) per
// distinct token), where the direct computation costs O(keys d) per target; under uniform attention the
// whole example is one output xbar = sum_a (c_a / K) V_a. docs/MODEL.md writes the derivation out.
#pragma once

#include <cstddef>
#include <vector>

#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::sim {

// dObjective/dX for each trained matrix X of the parameters; empty (0 x 0) for a frozen matrix.
struct ModelGradient {
  theory::Matrix E, W_K, W_Q, W_V;
};

struct Evaluation {
  double objective = 0.0;   // data_loss + penalty
  double data_loss = 0.0;   // mean loss per selected token; 0 when the batch has no targets
  double penalty = 0.0;     // sum_X lambda_X ||X||_F^2 over the trained matrices
  std::size_t targets = 0;  // |S|
};

// Evaluates the objective on `batch` and, when `gradient` is not null, its gradient, through the examples'
// key multisets. The result is bit-identical for any `threads` >= 1. `params` must fit `config`
// (InitialParams builds such).
Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<MaskedExample>& batch, ModelGradient* gradient, int threads = 1);

// The same for examples already written as key multisets (ExampleKeys): what the trainer calls, caching an
// example's multiset while its masks stay fixed. Every target must have no correction (KeyMultiset::
// FromPositions builds such); throws std::invalid_argument otherwise. The examples are evaluated in parallel
// when the batch is large enough to pay for starting threads, and merged in batch order, so the result is
// bit-identical for any `threads` >= 1.
Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<const theory::KeyMultiset*>& batch, ModelGradient* gradient,
                             int threads = 1);

// The direct computation, target by target over the key positions (blocks of examples summed in fixed
// order). Kept as the reference the tests compare the kernel against; equal to it up to summation order.
Evaluation ReferenceEvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                                      const std::vector<MaskedExample>& batch, ModelGradient* gradient,
                                      int threads = 1);

}  // namespace ldaformer::sim
