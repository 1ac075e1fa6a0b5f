#include "ldaformer/theory/score_gradient.hpp"

#include <cmath>

namespace ldaformer::theory {

ScoreGradient ScoreChainRule(const Matrix& dL_dS, const Matrix& W_K, const Matrix& W_Q, const Matrix* E) {
  const double r = std::sqrt(static_cast<double>(W_K.rows()));
  const Matrix keys = E ? Matrix(W_K.lazyProduct(*E)) : W_K;         // W^K E, d_k x n
  const Matrix queries = E ? Matrix(W_Q.lazyProduct(*E)) : W_Q;      // W^Q E, d_k x n
  const Matrix d_keys = queries.lazyProduct(dL_dS) / r;              // dL/d(W^K E)
  const Matrix d_queries = keys.lazyProduct(dL_dS.transpose()) / r;  // dL/d(W^Q E)
  ScoreGradient g;
  if (!E) {
    g.W_K = d_keys;
    g.W_Q = d_queries;
    return g;
  }
  const Matrix Et = E->transpose();
  g.W_K = d_keys.lazyProduct(Et);
  g.W_Q = d_queries.lazyProduct(Et);
  g.E = W_K.transpose().lazyProduct(d_keys) + W_Q.transpose().lazyProduct(d_queries);
  return g;
}

}  // namespace ldaformer::theory
