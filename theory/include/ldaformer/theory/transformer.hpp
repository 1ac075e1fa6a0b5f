// The one-layer, one-head transformer of docs/MODEL.md, and the per-token losses.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

enum class Decoder {
  kIdentity,  // W^O = I, so d = n
  kTied,      // W^O = E^T
};

enum class LossKind {
  kSquared,       // ||y - e_w||^2
  kCrossEntropy,  // -log softmax(y)_w
};

template <>
inline const NameTable<Decoder> kNames<Decoder> = {{Decoder::kIdentity, "identity"}, {Decoder::kTied, "tied"}};
template <>
inline const NameTable<LossKind> kNames<LossKind> = {{LossKind::kSquared, "squared"},
                                                     {LossKind::kCrossEntropy, "cross_entropy"}};

// Parameters of the model: h_j = E x_j, s_ij = <W^K h_j, W^Q h_i> / sqrt(d_k), a_i = softmax_j(s_i),
// u_i = sum_j a_ij W^V h_j, y_i = W^O u_i. No residual, no layer norm, no feed-forward block.
struct TransformerParams {
  Matrix E;    // d x n embedding
  Matrix W_K;  // d_k x d
  Matrix W_Q;  // d_k x d
  Matrix W_V;  // d x d
  Decoder decoder = Decoder::kIdentity;

  int d() const { return static_cast<int>(E.rows()); }
  int n() const { return static_cast<int>(E.cols()); }
  int d_k() const { return static_cast<int>(W_K.rows()); }

  // One-hot embedding (E = I), W^K = W^Q = 0 (uniform attention), identity decoder, the given W^V.
  static TransformerParams UniformAttention(const Matrix& W_V, int d_k = 1);
  // Throws std::invalid_argument naming the matrix and its shape when the shapes do not fit, or an
  // entry is not finite.
  void Validate() const;
};

// The model seen through one-hot inputs, where everything depends on token identities only.
struct TokenTables {
  Matrix scores;   // n x n: scores(q, a) = <W^K E e_a, W^Q E e_q> / sqrt(d_k), query token q, key token a
  Matrix values;   // d x n: W^V E e_a
  Matrix decoder;  // n x d: W^O = E^T when tied; empty for the identity decoder (W^O = I)
};

TokenTables Tabulate(const TransformerParams& params);

// The logits y for a query showing token `query`, attending over the tokens `keys`. An empty key set
// gives u = 0 (and so y = 0): the convention of the unselected-only key set when every other position
// is selected.
Vector OneLayerLogits(const TokenTables& tables, int query, const std::vector<int>& keys);

// The loss of logits y for the true word w: TokenLossFromBase(loss, LossBase(loss, y), y[w]).
double TokenLoss(LossKind loss, const Vector& y, int w);

// The part of TokenLoss that does not depend on the true word, computed once for targets that share
// their logits: ||y||^2 (squared) or log sum_a exp(y_a) (cross-entropy).
double LossBase(LossKind loss, const Eigen::Ref<const Vector>& y);

// The loss for a true word whose logit is y_w, given LossBase: base - 2 y_w + 1 (squared, that is
// ||y - e_w||^2) or base - y_w (cross-entropy, -log softmax(y)_w).
inline double TokenLossFromBase(LossKind loss, double base, double y_w) {
  return loss == LossKind::kSquared ? base - 2.0 * y_w + 1.0 : base - y_w;
}

}  // namespace ldaformer::theory
