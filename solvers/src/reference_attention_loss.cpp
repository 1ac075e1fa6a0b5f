#include "ldaformer/solvers/reference_attention_loss.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/parallel_reduce.hpp"
#include "query_loss.hpp"

namespace ldaformer::solvers {

namespace {

using theory::Matrix;
using theory::Vector;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Runs body(d) for every document d in [first, last) on `threads` threads. Each call writes only its
// own document's rows, so the result does not depend on the thread count.
template <class Body>
void ForEachDocument(std::size_t first, std::size_t last, int threads, Body body) {
  theory::DeterministicParallelReduce(
      last - first, 0, [&](std::uint64_t i, int&) { body(first + i); }, [](int&, const int&) {}, threads,
      /*block_size=*/8);
}

// Rows of the stacked query matrices that belong to one document: one row per query.
struct RowRange {
  Eigen::Index first = 0, count = 0;
};

// P(row, .) = attention of a query over the key tokens, softmax_a(S(q, a) + log c_a), zero off the keys
// and zero altogether for an empty key set (u = 0).
void AttentionRows(const AttentionDocument& doc, const Matrix& S, RowRange rows, RowMatrix& P) {
  for (Eigen::Index j = 0; j < rows.count; ++j) {
    auto p = P.row(rows.first + j);
    p.setZero();
    if (doc.key_tokens.empty()) continue;
    Eigen::RowVectorXd z = S(doc.queries[j].token, doc.key_tokens) + doc.key_log_weights.transpose();
    z = (z.array() - z.maxCoeff()).exp();
    p(doc.key_tokens) = z / z.sum();
  }
}

// The loss of the queries of one document from their outputs y (rows of Y), and G(row, .) = dloss/dy
// written over Y (query_loss.hpp).
double QueryLosses(const AttentionDocument& doc, theory::LossKind kind, RowRange rows, RowMatrix& Y) {
  double loss = 0.0;
  Vector b(Y.cols()), e(Y.cols());
  for (Eigen::Index j = 0; j < rows.count; ++j) {
    TargetWeights(doc, doc.queries[j], b);
    loss += QueryLoss(kind, b, Y.row(rows.first + j).transpose(), e);
  }
  return loss;
}

// dloss/dS(q, a) = p_a (r_a - p . r) with r = (W^V)^T g, the softmax Jacobian, written over R.
void ScoreGradientRows(RowRange rows, const RowMatrix& P, RowMatrix& R) {
  for (Eigen::Index j = rows.first; j < rows.first + rows.count; ++j) {
    const double mean = P.row(j).dot(R.row(j));
    R.row(j) = (P.row(j).array() * (R.row(j).array() - mean)).matrix();
  }
}

}  // namespace

double ReferenceAttentionLoss(const AttentionObjective& objective, const Matrix& S, const Matrix& W_V,
                              theory::LossKind loss, Matrix* grad_S, Matrix* grad_V) {
  const std::vector<AttentionDocument>& documents = objective.documents();
  const int n = objective.tokens().n();
  objective.RequireShapes(S, W_V);
  if (grad_S) *grad_S = Matrix::Zero(n, n);
  if (grad_V) *grad_V = Matrix::Zero(n, n);
  // The queries of consecutive documents are stacked into chunks of at most max_rows rows (a fixed
  // function of the documents, not of the thread count), so that the three products with W^V are one
  // large BLAS call each per chunk instead of many small ones; the per-row work runs on our threads.
  const Eigen::Index max_rows = std::max<Eigen::Index>(256, (Eigen::Index(1) << 21) / n);
  std::vector<RowRange> rows(documents.size());
  std::vector<double> document_loss(documents.size());
  for (std::size_t first = 0; first < documents.size();) {
    std::size_t last = first;
    Eigen::Index chunk_rows = 0;
    while (last < documents.size()) {
      const auto count = static_cast<Eigen::Index>(documents[last].queries.size());
      if (last > first && chunk_rows + count > max_rows) break;
      rows[last] = RowRange{chunk_rows, count};
      chunk_rows += count;
      ++last;
    }
    // Starting threads costs more than a small chunk's row work (the D flow evaluates small objectives
    // thousands of times); the result does not depend on the thread count either way.
    const int threads = chunk_rows * n < (Eigen::Index(1) << 16) ? 1 : objective.threads();
    RowMatrix P(chunk_rows, n);
    ForEachDocument(first, last, threads, [&](std::size_t d) { AttentionRows(documents[d], S, rows[d], P); });
    RowMatrix Y(chunk_rows, n);
    Y.noalias() = P * W_V.transpose();  // y = W^V p for every query
    ForEachDocument(first, last, threads,
                    [&](std::size_t d) { document_loss[d] = QueryLosses(documents[d], loss, rows[d], Y); });
    const RowMatrix& G = Y;                              // QueryLosses replaced y by dloss/dy
    if (grad_V) grad_V->noalias() += G.transpose() * P;  // sum over queries of g p^T
    if (grad_S) {
      RowMatrix R(chunk_rows, n);
      R.noalias() = G * W_V;  // r^T = g^T W^V
      ForEachDocument(first, last, threads, [&](std::size_t d) { ScoreGradientRows(rows[d], P, R); });
      for (std::size_t d = first; d < last; ++d) {
        for (Eigen::Index j = 0; j < rows[d].count; ++j) {
          grad_S->row(documents[d].queries[j].token) += R.row(rows[d].first + j);
        }
      }
    }
    first = last;
  }
  double total = 0.0;
  for (const double value : document_loss) total += value;
  if (grad_S) *grad_S /= objective.total_weight();
  if (grad_V) *grad_V /= objective.total_weight();
  return total / objective.total_weight();
}

}  // namespace ldaformer::solvers
