#include "ldaformer/solvers/attention_objective.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::solvers {

namespace {

using theory::Matrix;
using theory::Vector;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void RequireShape(const char* name, const Matrix& X, int n) {
  if (X.rows() != n || X.cols() != n) {
    throw std::invalid_argument(fmt::format("{} must be {}x{}, got {}x{}", name, n, n, X.rows(), X.cols()));
  }
}

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
// written over Y. A query's targets sum to W f(y) - b . y, with b the weighted target words and W their
// total weight: f(y) = |y|^2 + 1 (squared; the cross term -2 b . y then doubles) or logsumexp(y).
double QueryLosses(const AttentionDocument& doc, theory::LossKind kind, RowRange rows, RowMatrix& Y) {
  double loss = 0.0;
  Vector b(Y.cols());
  for (Eigen::Index j = 0; j < rows.count; ++j) {
    const AttentionQuery& query = doc.queries[j];
    auto y = Y.row(rows.first + j);
    b.setZero();
    for (const auto& [w, weight] : query.words) b[w] += weight;
    if (query.distribution_weight > 0.0) b += query.distribution_weight * doc.word_distribution;
    const double W = b.sum();
    if (kind == theory::LossKind::kSquared) {
      loss += W * (y.squaredNorm() + 1.0) - 2.0 * y.dot(b);
      y = 2.0 * (W * y - b.transpose());
    } else {
      const double top = y.maxCoeff();
      const Eigen::RowVectorXd e = (y.array() - top).exp();
      const double sum = e.sum();
      loss += W * (top + std::log(sum)) - y.dot(b);
      y = W * e / sum - b.transpose();
    }
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

// Adds a target (q, w, weight) to a document, merging targets that share a query token.
class QueryCollector {
 public:
  void Add(int q, int w, double weight) { Find(q).words.emplace_back(w, weight); }
  void AddFromDistribution(int q, double weight) { Find(q).distribution_weight += weight; }
  std::vector<AttentionQuery> Take() {
    std::vector<AttentionQuery> out;
    for (auto& [token, query] : queries_) out.push_back(std::move(query));
    return out;
  }

 private:
  AttentionQuery& Find(int q) {
    AttentionQuery& query = queries_[q];
    query.token = q;
    return query;
  }
  std::map<int, AttentionQuery> queries_;
};

}  // namespace

AttentionDocument AttentionDocument::WithKeyWeights(const Vector& c) {
  AttentionDocument doc;
  std::vector<double> logs;
  for (Eigen::Index a = 0; a < c.size(); ++a) {
    if (!(std::isfinite(c[a]) && c[a] >= 0.0)) {
      throw std::invalid_argument(fmt::format("key weight c[{}] must be finite and >= 0, got {}", a, c[a]));
    }
    if (c[a] > 0.0) {
      doc.key_tokens.push_back(static_cast<int>(a));
      logs.push_back(std::log(c[a]));
    }
  }
  doc.key_log_weights = Eigen::Map<const Vector>(logs.data(), static_cast<Eigen::Index>(logs.size()));
  return doc;
}

AttentionObjective::AttentionObjective(theory::TokenSpace tokens, std::vector<AttentionDocument> documents, int threads)
    : tokens_(tokens), documents_(std::move(documents)), threads_(threads > 0 ? threads : theory::DefaultThreads()) {
  const int n = tokens_.n();
  const auto require_token = [n](const char* what, int token) {
    if (token < 0 || token >= n)
      throw std::invalid_argument(fmt::format("{} must be in [0, {}), got {}", what, n, token));
  };
  const auto require_weight = [](const char* what, double weight) {
    if (!(std::isfinite(weight) && weight >= 0.0)) {
      throw std::invalid_argument(fmt::format("{} must be finite and >= 0, got {}", what, weight));
    }
  };
  for (const AttentionDocument& doc : documents_) {
    for (int a : doc.key_tokens) require_token("key token", a);
    const double distribution_mass = doc.word_distribution.size() > 0 ? doc.word_distribution.sum() : 0.0;
    for (const AttentionQuery& query : doc.queries) {
      require_token("query token", query.token);
      for (const auto& [w, weight] : query.words) {
        require_token("target word", w);
        require_weight("target weight", weight);
        total_weight_ += weight;
      }
      require_weight("distribution weight", query.distribution_weight);
      if (query.distribution_weight > 0.0 && doc.word_distribution.size() != n) {
        throw std::invalid_argument(
            fmt::format("word_distribution must have n={} entries, got {}", n, doc.word_distribution.size()));
      }
      total_weight_ += query.distribution_weight * distribution_mass;
    }
  }
  if (!(total_weight_ > 0.0)) {
    throw std::invalid_argument(
        fmt::format("attention objective: total target weight must be > 0, got {}", total_weight_));
  }
}

AttentionObjective AttentionObjective::InfiniteLength(const theory::Scenario& scenario,
                                                      const ThetaQuadrature& quadrature, int threads) {
  scenario.Validate();
  const theory::TokenSpace tokens = scenario.tokens();
  const int v = tokens.v, n = tokens.n();
  const theory::Masking& masking = scenario.masking;
  const theory::Channel target = theory::TargetChannel(masking);
  const theory::Channel other = theory::OtherChannel(masking);
  // r: the replacement law over the n tokens.
  const int alphabet = masking.replacement == theory::ReplacementAlphabet::kWords ? v : n;
  Vector r = Vector::Zero(n);
  r.head(alphabet).setConstant(1.0 / alphabet);

  std::vector<AttentionDocument> documents;
  for (int k = 0; k < quadrature.size(); ++k) {
    const double weight = quadrature.weights[k];
    Vector pi = Vector::Zero(n);
    pi.head(v) = scenario.topics.beta.transpose().lazyProduct(quadrature.points[k]);
    Vector c;
    if (masking.keys == theory::KeySet::kAllPositions) {
      c = other.word * pi + other.random * r;
      c[tokens.mask()] += other.mask;
    } else {
      c = masking.p_m < 1.0 ? pi : Vector::Zero(n);
    }
    AttentionDocument doc = AttentionDocument::WithKeyWeights(c);
    doc.word_distribution = pi;
    QueryCollector queries;
    for (int w = 0; w < v; ++w) {
      if (target.word * pi[w] > 0.0) queries.Add(w, w, weight * target.word * pi[w]);
    }
    for (int q = 0; q < n; ++q) {
      if (target.random * r[q] > 0.0) queries.AddFromDistribution(q, weight * target.random * r[q]);
    }
    if (target.mask > 0.0) queries.AddFromDistribution(tokens.mask(), weight * target.mask);
    doc.queries = queries.Take();
    documents.push_back(std::move(doc));
  }
  return AttentionObjective(tokens, std::move(documents), threads);
}

AttentionObjective AttentionObjective::SampleAverage(const theory::Scenario& scenario, int documents,
                                                     std::uint64_t seed, int threads, int finite_length) {
  scenario.Validate();
  if (documents < 1) throw std::invalid_argument(fmt::format("saa.documents must be >= 1, got {}", documents));
  const theory::TokenSpace tokens = scenario.tokens();
  const bool all = scenario.masking.keys == theory::KeySet::kAllPositions;
  const theory::DocumentSampler sampler(scenario, finite_length);
  std::vector<AttentionDocument> docs;
  for (int d = 0; d < documents; ++d) {
    const theory::MaskedDocument sample = sampler.Sample(seed, static_cast<std::uint64_t>(d));
    Vector counts = Vector::Zero(tokens.n());
    QueryCollector queries;
    for (int i = 0; i < sample.N(); ++i) {
      if (all || !sample.selected[i]) counts[sample.inputs[i]] += 1.0;
      if (sample.selected[i]) queries.Add(sample.inputs[i], sample.words[i], 1.0);
    }
    AttentionDocument doc = AttentionDocument::WithKeyWeights(counts);
    doc.queries = queries.Take();
    if (!doc.queries.empty()) docs.push_back(std::move(doc));
  }
  if (docs.empty()) {
    throw std::invalid_argument(fmt::format("saa: no position was selected in {} documents of '{}' (p_m={})", documents,
                                            scenario.name, scenario.masking.p_m));
  }
  return AttentionObjective(tokens, std::move(docs), threads);
}

double AttentionObjective::Loss(const Matrix& S, const Matrix& W_V, theory::LossKind loss, Matrix* grad_S,
                                Matrix* grad_V) const {
  const int n = tokens_.n();
  RequireShape("S", S, n);
  RequireShape("W_V", W_V, n);
  if (grad_S) *grad_S = Matrix::Zero(n, n);
  if (grad_V) *grad_V = Matrix::Zero(n, n);
  // The queries of consecutive documents are stacked into chunks of at most max_rows rows (a fixed
  // function of the documents, not of the thread count), so that the three products with W^V are one
  // large BLAS call each per chunk instead of many small ones; the per-row work runs on our threads.
  const Eigen::Index max_rows = std::max<Eigen::Index>(256, (Eigen::Index(1) << 21) / n);
  std::vector<RowRange> rows(documents_.size());
  std::vector<double> document_loss(documents_.size());
  for (std::size_t first = 0; first < documents_.size();) {
    std::size_t last = first;
    Eigen::Index chunk_rows = 0;
    while (last < documents_.size()) {
      const auto count = static_cast<Eigen::Index>(documents_[last].queries.size());
      if (last > first && chunk_rows + count > max_rows) break;
      rows[last] = RowRange{chunk_rows, count};
      chunk_rows += count;
      ++last;
    }
    // Starting threads costs more than a small chunk's row work (the D flow evaluates small objectives
    // thousands of times); the result does not depend on the thread count either way.
    const int threads = chunk_rows * n < (Eigen::Index(1) << 16) ? 1 : threads_;
    RowMatrix P(chunk_rows, n);
    ForEachDocument(first, last, threads, [&](std::size_t d) { AttentionRows(documents_[d], S, rows[d], P); });
    RowMatrix Y(chunk_rows, n);
    Y.noalias() = P * W_V.transpose();  // y = W^V p for every query
    ForEachDocument(first, last, threads,
                    [&](std::size_t d) { document_loss[d] = QueryLosses(documents_[d], loss, rows[d], Y); });
    const RowMatrix& G = Y;                              // QueryLosses replaced y by dloss/dy
    if (grad_V) grad_V->noalias() += G.transpose() * P;  // sum over queries of g p^T
    if (grad_S) {
      RowMatrix R(chunk_rows, n);
      R.noalias() = G * W_V;  // r^T = g^T W^V
      ForEachDocument(first, last, threads, [&](std::size_t d) { ScoreGradientRows(rows[d], P, R); });
      for (std::size_t d = first; d < last; ++d) {
        for (Eigen::Index j = 0; j < rows[d].count; ++j) {
          grad_S->row(documents_[d].queries[j].token) += R.row(rows[d].first + j);
        }
      }
    }
    first = last;
  }
  double total = 0.0;
  for (const double value : document_loss) total += value;
  if (grad_S) *grad_S /= total_weight_;
  if (grad_V) *grad_V /= total_weight_;
  return total / total_weight_;
}

}  // namespace ldaformer::solvers
