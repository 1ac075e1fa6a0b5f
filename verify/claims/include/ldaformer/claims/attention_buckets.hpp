// Claim T3's predicate: does a word attend more to same-topic words? Measured as the paper's experiments
// do, on unmasked documents: every position i is a query attending over all positions j of its document
// (j = i included) with weights a_ij = softmax_j scores(x_i, x_j); each weight is multiplied by the
// document length N, so uniform attention reads 1; pairs (i, j) are bucketed by
//     same token       x_j == x_i (j = i included)
//     same topic       x_j != x_i, topic(x_j) == topic(x_i)
//     different topic  topic(x_j) != topic(x_i)
// and each bucket's mean pools its pairs over all documents.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// One bucket: mean of N a_ij over its pairs. The standard error treats documents as independent clusters
// (the ratio estimator of theory/ratio_estimator.hpp: per-document weight sums over pair counts); it is
// NaN with fewer than two documents, and the mean is NaN when the bucket has no pairs.
struct AttentionBucket {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double standard_error = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t pairs = 0;
};

struct AttentionBuckets {
  // False when the same-topic or the different-topic bucket is empty (one topic, one word per topic,
  // or documents too short or too pure to form such pairs): margin is NaN and `reason` says which.
  bool applicable = false;
  std::string reason;

  AttentionBucket same_token, same_topic, different_topic;
  std::uint64_t documents = 0;
  // same_topic.mean - different_topic.mean, with the delta-method standard error of the difference
  // (the two ratios share documents, so their covariance counts).
  double margin = std::numeric_limits<double>::quiet_NaN();
  double margin_standard_error = std::numeric_limits<double>::quiet_NaN();
  bool holds = false;  // applicable && margin > 0, on the point estimate (compare margin with its error)
};

// scores is n x n in the orientation of theory::TokenTables::scores (scores(q, a): query token q, key
// token a), n >= v = topic_of_word.size() >= 1; documents hold word ids in 0..v-1 (see WordTopics for
// topic_of_word). A document costs O(N log N + K^2) for K distinct tokens, because a query's softmax
// denominator depends only on its token and the document's token counts. Parallel over documents with
// `threads` (0: theory::DefaultThreads()), and bit-identical for any thread count. Throws
// std::invalid_argument naming the shape, the first non-finite word score, or the document and
// position of an out-of-range word.
AttentionBuckets MeasureAttentionBuckets(const theory::Matrix& scores, const std::vector<std::vector<int>>& documents,
                                         const std::vector<int>& topic_of_word, int threads = 0);

// The same on `documents` unmasked documents sampled by theory::SampleCorpus(scenario, documents, seed),
// with topics WordTopics(scenario.topics).
AttentionBuckets MeasureAttentionBuckets(const theory::Matrix& scores, const theory::Scenario& scenario,
                                         std::size_t documents, std::uint64_t seed, int threads = 0);

// One document's attention written over its distinct tokens, for a model whose attention depends on the
// document (a layer of the multi-layer encoder): tokens (distinct word ids), counts (positions showing each)
// and weights(k, l), the weight a_ij of one position showing tokens[k] on one position showing tokens[l], so
// that sum_l counts[l] weights(k, l) = 1.
struct DocumentAttention {
  std::vector<int> tokens;
  std::vector<int> counts;
  theory::Matrix weights;
};

// The same buckets from such attention, added one document at a time (so that a large corpus's attention need
// not be held at once): pairs bucketed by token and topic as above, N a_ij pooled over the documents in the
// order they were added.
class AttentionBucketSums {
 public:
  explicit AttentionBucketSums(std::vector<int> topic_of_word);
  // Throws std::invalid_argument naming the document (its index among those added) when a shape, a weight or
  // a token is off.
  void Add(const DocumentAttention& document);
  AttentionBuckets Result() const;

 private:
  std::vector<int> topic_of_word_;
  std::vector<std::array<double, 6>> sums_;  // per document: the three buckets' weight sums, then pair counts
};

}  // namespace ldaformer::claims
