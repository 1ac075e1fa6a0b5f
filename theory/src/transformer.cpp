#include "ldaformer/theory/transformer.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory {

TransformerParams TransformerParams::UniformAttention(const Matrix& W_V, int d_k) {
  const auto n = W_V.rows();
  TransformerParams p;
  p.E = Matrix::Identity(n, n);
  p.W_K = Matrix::Zero(d_k, n);
  p.W_Q = Matrix::Zero(d_k, n);
  p.W_V = W_V;
  p.decoder = Decoder::kIdentity;
  return p;
}

void TransformerParams::Validate() const {
  auto require_shape = [](const char* name, const Matrix& X, Eigen::Index rows, Eigen::Index cols) {
    if (X.rows() != rows || X.cols() != cols) {
      throw std::invalid_argument(
          fmt::format("params.{} must be {}x{}, got {}x{}", name, rows, cols, X.rows(), X.cols()));
    }
    if (!X.allFinite()) throw std::invalid_argument(fmt::format("params.{} has a non-finite entry", name));
  };
  if (d() < 1 || n() < 2 || d_k() < 1) {
    throw std::invalid_argument(
        fmt::format("params: need d >= 1, n >= 2, d_k >= 1, got d={}, n={}, d_k={}", d(), n(), d_k()));
  }
  require_shape("E", E, d(), n());
  require_shape("W_K", W_K, d_k(), d());
  require_shape("W_Q", W_Q, d_k(), d());
  require_shape("W_V", W_V, d(), d());
  if (decoder == Decoder::kIdentity && d() != n()) {
    throw std::invalid_argument(fmt::format("params: the identity decoder needs d = n, got d={}, n={}", d(), n()));
  }
}

TokenTables Tabulate(const TransformerParams& p) {
  TokenTables t;
  // Eigen's kernels, not OpenBLAS: one BLAS call here leaves OpenBLAS's idle workers spinning
  // against the Monte Carlo threads that follow (measured: 1.0 s of system time in 3.9 s).
  const Matrix keys = p.W_K.lazyProduct(p.E);
  const Matrix queries = p.W_Q.lazyProduct(p.E);
  t.scores = queries.transpose().lazyProduct(keys) / std::sqrt(double(p.d_k()));
  t.values = p.W_V.lazyProduct(p.E);
  if (p.decoder == Decoder::kTied) t.decoder = p.E.transpose();
  return t;
}

Vector OneLayerLogits(const TokenTables& t, int query, const std::vector<int>& keys) {
  const bool identity = t.decoder.size() == 0;
  if (keys.empty()) return Vector::Zero(identity ? t.values.rows() : t.decoder.rows());
  Vector weights(keys.size());
  for (size_t j = 0; j < keys.size(); ++j) weights[j] = t.scores(query, keys[j]);
  weights = (weights.array() - weights.maxCoeff()).exp();
  Vector u = Vector::Zero(t.values.rows());
  for (size_t j = 0; j < keys.size(); ++j) u += weights[j] * t.values.col(keys[j]);
  u /= weights.sum();
  // lazyProduct: Eigen's kernel, not a per-query BLAS call (see SharedProduct in monte_carlo.cpp).
  return identity ? u : Vector(t.decoder.lazyProduct(u));
}

double TokenLoss(LossKind loss, const Vector& y, int w) { return TokenLossFromBase(loss, LossBase(loss, y), y[w]); }

double LossBase(LossKind loss, const Eigen::Ref<const Vector>& y) {
  if (loss == LossKind::kSquared) return y.squaredNorm();
  const double top = y.maxCoeff();
  return top + std::log((y.array() - top).exp().sum());
}

}  // namespace ldaformer::theory
