// The T3 objective: the loss of a one-layer transformer as a function of its attention score matrix S
// (and of W^V), with one-hot embedding and the identity decoder (docs/THEOREMS.md, claim T3).
//
// A query showing token q attends over a key multiset with token weights c_a (counts, or frequencies
// at N -> infinity) with weights
//     p_a = c_a exp(S(q, a)) / sum_b c_b exp(S(q, b)),      S(q, a) = score of key token a for query q
// (the orientation of theory::TokenTables::scores), predicts y = u = W^V p, and pays ||y - e_w||^2 or
// -log softmax(y)_w for its true word w. Every target of a document reads the same key multiset (all
// positions, or all unselected positions), so a document is one key-weight vector plus the list of
// (query token, target word, weight) terms that read it: an AttentionDocument. Both the N -> infinity
// objective and the sample-average approximation are weighted sums over such documents.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ldaformer/solvers/theta_quadrature.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// All targets of one document that show the same query token q.
struct AttentionQuery {
  int token = 0;                              // q
  std::vector<std::pair<int, double>> words;  // (w, weight): true words of the targets
  // Weight of targets whose true word is drawn from the document's word_distribution (used at
  // N -> infinity, where the query token is independent of the target word: MASK, random replacement).
  double distribution_weight = 0.0;
};

// One key multiset and the queries that read it.
struct AttentionDocument {
  std::vector<int> key_tokens;       // tokens a with c_a > 0
  theory::Vector key_log_weights;    // log c_a, aligned with key_tokens
  theory::Vector word_distribution;  // n-vector for distribution_weight terms (empty when unused)
  std::vector<AttentionQuery> queries;

  // A document with key weights c (n-vector, entries >= 0; zero entries are not keys, and c = 0 is the
  // empty key set, whose attention output is u = 0) and no queries yet.
  static AttentionDocument WithKeyWeights(const theory::Vector& c);
};

// A weighted sum of attention terms, evaluated as the mean loss per unit of target weight (per selected
// token). Evaluation is deterministic and independent of the thread count.
class AttentionObjective {
 public:
  // Documents as given; `threads` = 0 uses theory::DefaultThreads(). Throws std::invalid_argument when
  // a token is out of range, a weight is negative or not finite, or the total target weight is 0.
  AttentionObjective(theory::TokenSpace tokens, std::vector<AttentionDocument> documents, int threads = 0);

  // The N -> infinity limit: one document per quadrature point theta_k (weight w_k). Keys are the
  // input-token frequencies given theta: with KeySet::kAllPositions,
  //     c = k pi + rho r + mu e_MASK   (k = 1 - p_m + p_m p_c, rho = p_m p_r, mu = p_m (1 - p_c - p_r)),
  // pi = beta^T theta and r uniform over the replacement alphabet; with kUnselectedOnly, c = pi (no keys
  // when p_m = 1). The query shows the true word w ~ pi with p_c, a random token with p_r, MASK with
  // 1 - p_c - p_r: the expectation over w and the channel is taken exactly, the one over theta by the
  // quadrature. The scenario's length law is ignored: this is the N -> infinity limit of any scenario.
  static AttentionObjective InfiniteLength(const theory::Scenario& scenario, const ThetaQuadrature& quadrature,
                                           int threads = 0);

  // The sample-average approximation: documents 0..documents-1 of theory::DocumentSampler(scenario,
  // finite_length).Sample(seed, d) (the documents theory::MonteCarloLoss draws), with the selected
  // positions as targets (query inputs[i], word words[i], weight 1) and the scenario's key set.
  // Throws std::invalid_argument unless documents >= 1, and when no position was selected.
  static AttentionObjective SampleAverage(const theory::Scenario& scenario, int documents, std::uint64_t seed,
                                          int threads = 0, int finite_length = 2000);

  // The mean loss per unit of target weight at scores S (n x n) and value matrix W_V (n x n). If
  // non-null, grad_S and grad_V receive its gradients (n x n each). Throws std::invalid_argument naming
  // the matrix when a shape is wrong. Each document is evaluated over its u key tokens only: three
  // products of W^V's n x u key columns with the document's m attention vectors, O(n u m), plus O(n)
  // per query (ReferenceAttentionLoss is the direct O(n^2 m) computation). Documents are added in
  // order, so the result is bit-identical for any thread count; a small objective runs on one thread.
  double Loss(const theory::Matrix& S, const theory::Matrix& W_V, theory::LossKind loss,
              theory::Matrix* grad_S = nullptr, theory::Matrix* grad_V = nullptr) const;

  // Throws std::invalid_argument naming the matrix unless S and W_V are both n x n.
  void RequireShapes(const theory::Matrix& S, const theory::Matrix& W_V) const;

  const theory::TokenSpace& tokens() const { return tokens_; }
  const std::vector<AttentionDocument>& documents() const { return documents_; }
  double total_weight() const { return total_weight_; }
  int threads() const { return threads_; }

 private:
  theory::TokenSpace tokens_;
  std::vector<AttentionDocument> documents_;
  double total_weight_ = 0.0;
  int threads_ = 1;
  // Sum over documents of n u m (u key tokens, m queries): the multiply-adds of one product with W^V,
  // which decides whether threads pay for themselves.
  std::int64_t work_ = 0;
  // Whether the documents' keys cover more than half of the n tokens on average (weighted by queries):
  // Loss then takes the direct computation, which costs no more and runs as a few large products.
  bool dense_ = false;
};

}  // namespace ldaformer::solvers
