// The loss of one attention query's targets from its output y, shared by AttentionObjective::Loss and
// ReferenceAttentionLoss (they differ in how y is computed, not in the loss).
#pragma once

#include <cmath>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// b: the query's targets as weights on their true words (n-vector), the distribution terms included.
inline void TargetWeights(const AttentionDocument& doc, const AttentionQuery& query, theory::Vector& b) {
  b.setZero();
  for (const auto& [w, weight] : query.words) b[w] += weight;
  if (query.distribution_weight > 0.0) b += query.distribution_weight * doc.word_distribution;
}

// The targets' loss sum_t f_t(y) = W f(y) - b . y, with W = sum b: f(y) = |y|^2 + 1 (squared; the cross term
// -2 b . y then doubles) or logsumexp(y). Replaces y (a column vector or a transposed row) by dloss/dy; `e` is
// scratch, so that a call allocates nothing once it has size n.
template <class Output>
double QueryLoss(theory::LossKind kind, const theory::Vector& b, Output&& y, theory::Vector& e) {
  const double W = b.sum();
  if (kind == theory::LossKind::kSquared) {
    const double loss = W * (y.squaredNorm() + 1.0) - 2.0 * y.dot(b);
    y = 2.0 * (W * y - b);
    return loss;
  }
  const double top = y.maxCoeff();
  e = (y.array() - top).exp().matrix();
  const double sum = e.sum();
  const double loss = W * (top + std::log(sum)) - y.dot(b);
  y = W * e / sum - b;
  return loss;
}

}  // namespace ldaformer::solvers
