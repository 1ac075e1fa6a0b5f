#include "ldaformer/solvers/attention_objective.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/solvers/reference_attention_loss.hpp"
#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::solvers {

namespace {

using theory::Matrix;
using theory::Vector;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

[[maybe_unused]] void RequireShape(const char* name, const Matrix& X, int n) {
  if (X.rows() != n || X.cols() != n) {
    throw std::invalid_argument(fmt::format("{} must be {}x{}, got {}x{}", name, n, n, X.rows(), X.cols()));
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
  return ReferenceAttentionLoss(*this, S, W_V, loss, grad_S, grad_V);
}

}  // namespace ldaformer::solvers
