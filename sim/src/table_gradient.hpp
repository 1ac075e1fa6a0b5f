// The objective's derivatives with respect to the token tables of theory/transformer.hpp, summed over a
// minibatch, and the step from them to the matrices: shared by the key-multiset kernel (objective.cpp) and
// the per-position reference (reference_objective.cpp).
#pragma once

#include <cstddef>

#include "ldaformer/sim/model.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::sim {

// Sums over a batch of the losses and of the derivatives with respect to the token tables.
struct TableGradient {
  theory::Matrix values;   // d x n: dL/dV, V = W^V E (empty when neither W^V nor E is trained)
  theory::Matrix scores;   // n x n: dL/dS (empty when attention is uniform)
  theory::Matrix decoder;  // n x d: dL/d(E^T) through the tied decoder (empty unless tied and E trained)
  double loss = 0.0;
  std::size_t targets = 0;

  // The zero sums for this model: the tables it trains, allocated once.
  static TableGradient Zero(const theory::TransformerParams& p, const ModelConfig& c);
};

// The objective from the batch's sums (mean loss per target plus the penalty) and, when `gradient` is not
// null, the chain rule from the table derivatives to the matrices, plus the L2 terms. `g` is scaled by
// 1/|S| in place (and may be moved from). The gradient of a frozen matrix is left empty.
Evaluation FinishObjective(const theory::TransformerParams& p, const ModelConfig& c, TableGradient& g,
                           ModelGradient* gradient);

}  // namespace ldaformer::sim
