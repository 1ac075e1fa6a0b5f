// The direct computation of AttentionObjective::Loss, kept as the reference that the tests and the
// benchmark compare the key-token evaluation with (as theory::ReferenceMonteCarloLoss is for
// theory::MonteCarloLoss).
//
// Every query row attends densely over all n tokens: p is an n-vector (zero off the document's key
// tokens), y = W^V p, and the three products with W^V run on the stacked rows of consecutive documents,
// O(n^2) per query row where AttentionObjective::Loss costs O(n u) over the document's u key tokens.
#pragma once

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// The same value and gradients as objective.Loss(S, W_V, loss, grad_S, grad_V), up to the order of
// floating-point sums, on the objective's threads (deterministic for any thread count).
double ReferenceAttentionLoss(const AttentionObjective& objective, const theory::Matrix& S, const theory::Matrix& W_V,
                              theory::LossKind loss, theory::Matrix* grad_S = nullptr,
                              theory::Matrix* grad_V = nullptr);

}  // namespace ldaformer::solvers
