#include "ldaformer/solvers/attention_objective.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/solvers/reference_attention_loss.hpp"
#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "query_loss.hpp"

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

// A buffer that only grows: the documents' scratch matrices are views into it, so evaluating the
// documents of a call (and of later calls) allocates nothing once it has its largest size. Aligned as Eigen's
// own matrices are: Eigen's vectorised sums start with scalar steps up to the first aligned element, so a
// buffer at an address that depends on the thread's allocation history would change the sums' order, and
// the result would depend on the thread count.
class Buffer {
 public:
  Eigen::Map<Matrix> View(Eigen::Index rows, Eigen::Index cols) {
    if (static_cast<Eigen::Index>(data_.size()) < rows * cols) data_.resize(static_cast<std::size_t>(rows * cols));
    return {data_.data(), rows, cols};
  }

 private:
  std::vector<double, Eigen::aligned_allocator<double>> data_;
};

// One document evaluated over its u key tokens K (docs/THEORY.md, section 2.4): for its m
// queries q_j, the attention p_j = softmax_a(S(q_j, a) + log c_a) over a in K (the u x m matrix P),
// y_j = W^V_K p_j with W^V_K the n x u columns of the key tokens, the loss, and with gradients
//     dL/dW^V_K = G P^T   (n x u, G = [dloss/dy_j]),      dL/dS(q_j, a) = p_a (r_a - p_j . r),  r = W^V_K^T g_j,
// where the direct computation (ReferenceAttentionLoss) works over all n tokens: O(n u m) instead of
// O(n^2 m) per document.
class DocumentTerms {
 public:
  double loss = 0.0;

  void Evaluate(const AttentionDocument& doc, const Matrix& S, const Matrix& W_V, theory::LossKind kind,
                bool gradients) {
    const Eigen::Index n = W_V.rows(), u = static_cast<Eigen::Index>(doc.key_tokens.size());
    const auto m = static_cast<Eigen::Index>(doc.queries.size());
    auto V_K = v_keys_.View(n, u);
    auto P = p_.View(u, m);
    auto Y = y_.View(n, m);
    for (Eigen::Index a = 0; a < u; ++a) V_K.col(a) = W_V.col(doc.key_tokens[a]);
    for (Eigen::Index j = 0; j < m; ++j) {
      auto p = P.col(j);
      const int q = doc.queries[j].token;
      for (Eigen::Index a = 0; a < u; ++a) p[a] = S(q, doc.key_tokens[a]) + doc.key_log_weights[a];
      if (u == 0) continue;
      p = (p.array() - p.maxCoeff()).exp().matrix();
      p /= p.sum();
    }
    // An empty key set attends to nothing: u = 0, so y = 0.
    if (u == 0) {
      Y.setZero();
    } else {
      Y.noalias() = V_K * P;
    }
    loss = QueryLosses(doc, kind, Y);
    if (!gradients) return;
    const auto& G = Y;  // QueryLosses replaced y by dloss/dy
    auto GV = grad_v_.View(n, u);
    auto R = r_.View(u, m);
    if (u > 0) {
      GV.noalias() = G * P.transpose();
      R.noalias() = V_K.transpose() * G;
    }
    for (Eigen::Index j = 0; j < m; ++j) {
      const double mean = P.col(j).dot(R.col(j));
      R.col(j) = (P.col(j).array() * (R.col(j).array() - mean)).matrix();  // the softmax Jacobian
    }
  }

  // Adds the document's gradients, kept from Evaluate, to dL/dS (rows of its queries, columns of its
  // keys) and dL/dW^V (columns of its keys).
  void AddGradients(const AttentionDocument& doc, Matrix& grad_S, Matrix& grad_V) {
    const Eigen::Index n = grad_V.rows(), u = static_cast<Eigen::Index>(doc.key_tokens.size());
    const auto m = static_cast<Eigen::Index>(doc.queries.size());
    const auto GV = grad_v_.View(n, u);
    const auto R = r_.View(u, m);
    for (Eigen::Index a = 0; a < u; ++a) grad_V.col(doc.key_tokens[a]) += GV.col(a);
    for (Eigen::Index j = 0; j < m; ++j) {
      const int q = doc.queries[j].token;
      for (Eigen::Index a = 0; a < u; ++a) grad_S(q, doc.key_tokens[a]) += R(a, j);
    }
  }

 private:
  // The loss of the queries from their outputs y (columns of Y), with Y replaced by dloss/dy (query_loss.hpp).
  double QueryLosses(const AttentionDocument& doc, theory::LossKind kind, Eigen::Map<Matrix>& Y) {
    double loss = 0.0;
    Vector& b = b_;
    b.resize(Y.rows());
    e_.resize(Y.rows());
    for (Eigen::Index j = 0; j < Y.cols(); ++j) {
      TargetWeights(doc, doc.queries[j], b);
      loss += QueryLoss(kind, b, Y.col(j), e_);
    }
    return loss;
  }

  Buffer v_keys_, p_, y_, grad_v_, r_;
  Vector b_, e_;
};

// A document's selected targets as an AttentionDocument: the shared key multiset (tokens a with counts
// c_a) and one query per target group. Selected targets read the shared multiset unchanged (their
// correction is none, docs/THEORY.md section 2.4), so the groups are the distinct query tokens, in
// ascending order, each with its targets' words in position order.
AttentionDocument FromKeyMultiset(const theory::KeyMultiset& keys) {
  AttentionDocument doc;
  doc.key_tokens = keys.tokens;
  doc.key_log_weights.resize(static_cast<Eigen::Index>(keys.counts.size()));
  for (std::size_t a = 0; a < keys.counts.size(); ++a)
    doc.key_log_weights[static_cast<Eigen::Index>(a)] = std::log(keys.counts[a]);
  for (const theory::TargetGroup& group : keys.groups) {
    if (group.correction.plus >= 0 || group.correction.minus >= 0) {
      throw std::logic_error("attention objective: a selected target reads a corrected key multiset");
    }
    AttentionQuery query;
    query.token = group.query;
    for (int k = group.begin; k < group.end; ++k) query.words.emplace_back(keys.targets[keys.order[k]].word, 1.0);
    doc.queries.push_back(std::move(query));
  }
  return doc;
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
  std::int64_t dense_work = 0;  // the same products over all n tokens
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
    work_ += std::int64_t{n} * static_cast<std::int64_t>(doc.key_tokens.size() * doc.queries.size());
    dense_work += std::int64_t{n} * n * static_cast<std::int64_t>(doc.queries.size());
  }
  dense_ = 2 * work_ > dense_work;
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
  const theory::DocumentSampler sampler(scenario, finite_length);
  std::vector<AttentionDocument> docs;
  for (int d = 0; d < documents; ++d) {
    const theory::KeyMultiset keys = theory::KeyMultiset::FromDocument(
        sampler.Sample(seed, static_cast<std::uint64_t>(d)), scenario.masking.keys, theory::TargetPositions::kSelected);
    if (keys.groups.empty()) continue;  // no position selected: the document has no target
    docs.push_back(FromKeyMultiset(keys));
  }
  if (docs.empty()) {
    throw std::invalid_argument(fmt::format("saa: no position was selected in {} documents of '{}' (p_m={})", documents,
                                            scenario.name, scenario.masking.p_m));
  }
  return AttentionObjective(tokens, std::move(docs), threads);
}

void AttentionObjective::RequireShapes(const Matrix& S, const Matrix& W_V) const {
  RequireShape("S", S, tokens_.n());
  RequireShape("W_V", W_V, tokens_.n());
}

double AttentionObjective::Loss(const Matrix& S, const Matrix& W_V, theory::LossKind loss, Matrix* grad_S,
                                Matrix* grad_V) const {
  const int n = tokens_.n();
  RequireShapes(S, W_V);
  // Documents that show most tokens as keys (the N -> infinity objective, where every token is a key
  // and every token a query) cost as much over their keys as over all n tokens, and the direct
  // computation runs their stacked rows through one product with W^V per chunk instead of many small ones.
  if (dense_) return ReferenceAttentionLoss(*this, S, W_V, loss, grad_S, grad_V);
  const bool gradients = grad_S != nullptr || grad_V != nullptr;
  Matrix unused_S, unused_V;  // the gradient that was not asked for is computed into a scratch matrix
  Matrix& G_S = grad_S ? *grad_S : unused_S;
  Matrix& G_V = grad_V ? *grad_V : unused_V;
  if (gradients) {
    G_S.setZero(n, n);
    G_V.setZero(n, n);
  }
  double total = 0.0;
  if (work_ < (std::int64_t{1} << 22)) {
    // A small objective (D's flow evaluates one of about 100 documents some 5e4 times): starting threads
    // costs more than its work, and adding each document into the totals in order needs no block sums.
    theory::CheckCancellation();  // as DeterministicParallelReduce does between its waves
    thread_local DocumentTerms terms;
    for (const AttentionDocument& doc : documents_) {
      terms.Evaluate(doc, S, W_V, loss, gradients);
      total += terms.loss;
      if (gradients) terms.AddGradients(doc, G_S, G_V);
    }
  } else {
    // Blocks of documents summed into their own totals and merged in block order: the same sums for
    // any thread count (the path taken depends on the objective only).
    struct Sums {
      double loss = 0.0;
      Matrix G_S, G_V;
    };
    Sums zero;
    if (gradients) {
      zero.G_S = Matrix::Zero(n, n);
      zero.G_V = Matrix::Zero(n, n);
    }
    const Sums sums = theory::DeterministicParallelReduce(
        documents_.size(), zero,
        [&](std::uint64_t d, Sums& block) {
          thread_local DocumentTerms terms;
          terms.Evaluate(documents_[d], S, W_V, loss, gradients);
          block.loss += terms.loss;
          if (gradients) terms.AddGradients(documents_[d], block.G_S, block.G_V);
        },
        [&](Sums& into, const Sums& from) {
          into.loss += from.loss;
          if (gradients) {
            into.G_S += from.G_S;
            into.G_V += from.G_V;
          }
        },
        threads_, /*block_size=*/32);
    total = sums.loss;
    if (gradients) {
      G_S = sums.G_S;
      G_V = sums.G_V;
    }
  }
  if (grad_S) *grad_S /= total_weight_;
  if (grad_V) *grad_V /= total_weight_;
  return total / total_weight_;
}

}  // namespace ldaformer::solvers
