// The chain rule through the attention scores: from dL/dS to the key and query matrices (and the
// embedding), for the trainer's gradient (the attention gradient flow writes its E = I case in place).
#pragma once

#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// The gradient of a loss through S alone.
struct ScoreGradient {
  Matrix W_K;  // dL/dW^K (d_k x d)
  Matrix W_Q;  // dL/dW^Q (d_k x d)
  Matrix E;    // dL/dE through S (d x n); empty for the one-hot embedding
};

// For S = (W^Q E)^T (W^K E) / sqrt(d_k), so S(q, a) = <W^K E e_a, W^Q E e_q> / sqrt(d_k) with query token q
// and key token a (TokenTables::scores), and G = dL/dS (n x n):
//   dL/dW^K = W^Q E G E^T / sqrt(d_k),  dL/dW^Q = W^K E G^T E^T / sqrt(d_k),
//   dL/dE   = (W^K^T W^Q E G + W^Q^T W^K E G^T) / sqrt(d_k).
// `E` null means the one-hot embedding E = I (d = n), whose gradient is not formed.
ScoreGradient ScoreChainRule(const Matrix& dL_dS, const Matrix& W_K, const Matrix& W_Q, const Matrix* E = nullptr);

}  // namespace ldaformer::theory
