#include "ldaformer/theory/score_gradient.hpp"

#include <cmath>

namespace ldaformer::theory {

ScoreGradient ScoreChainRule(const Matrix& dL_dS, const Matrix& W_K, const Matrix& W_Q, const Matrix* E) {
  const double r = std::sqrt(static_cast<double>(W_K.rows()));
  // Blocked products: at n ~ 100 a coefficient-wise (lazy) product costs several times more.
  const Matrix keys = E ? Matrix(W_K * *E) : W_K;           // W^K E, d_k x n
  const Matrix queries = E ? Matrix(W_Q * *E) : W_Q;        // W^Q E, d_k x n
  const Matrix d_keys = (queries * dL_dS) / r;              // dL/d(W^K E)
  const Matrix d_queries = (keys * dL_dS.transpose()) / r;  // dL/d(W^Q E)
  ScoreGradient g;
  if (!E) {
    g.W_K = d_keys;
    g.W_Q = d_queries;
    return g;
  }
  g.W_K.noalias() = d_keys * E->transpose();
  g.W_Q.noalias() = d_queries * E->transpose();
  g.E.noalias() = W_K.transpose() * d_keys;
  g.E.noalias() += W_Q.transpose() * d_queries;
  return g;
}

}  // namespace ldaformer::theory
