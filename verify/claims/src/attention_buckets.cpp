#include "ldaformer/claims/attention_buckets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/ratio_estimator.hpp"

namespace ldaformer::claims {
namespace {

enum Bucket { kSameToken, kSameTopic, kDifferentTopic, kBuckets };

// One document's sums of N a_ij over each bucket's pairs, and the pair counts.
struct DocumentSums {
  std::array<double, kBuckets> weight{};
  std::array<double, kBuckets> pairs{};
};

DocumentSums SumDocument(const theory::Matrix& scores, const std::vector<int>& document,
                         const std::vector<int>& topic_of_word) {
  std::vector<int> sorted = document;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> token, count;
  for (int w : sorted) {
    if (token.empty() || token.back() != w) {
      token.push_back(w);
      count.push_back(0);
    }
    ++count.back();
  }
  const double N = static_cast<double>(document.size());
  const std::size_t K = token.size();
  DocumentSums sums;
  std::vector<double> e(K);
  for (std::size_t k = 0; k < K; ++k) {
    const int q = token[k];
    // The query's weights over the document's tokens, shifted by the largest present score so that the
    // denominator is at least 1.
    double top = scores(q, token[0]);
    for (std::size_t l = 1; l < K; ++l) top = std::max(top, scores(q, token[l]));
    double Z = 0.0;
    for (std::size_t l = 0; l < K; ++l) {
      e[l] = std::exp(scores(q, token[l]) - top);
      Z += count[l] * e[l];
    }
    for (std::size_t l = 0; l < K; ++l) {
      const Bucket bucket = l == k                                        ? kSameToken
                            : topic_of_word[token[l]] == topic_of_word[q] ? kSameTopic
                                                                          : kDifferentTopic;
      // count[k] query positions, each giving N a_ij summed over the count[l] keys of token l. Written so
      // that uniform scores give exact integers.
      sums.weight[bucket] += count[k] * ((N * count[l] * e[l]) / Z);
      sums.pairs[bucket] += static_cast<double>(count[k]) * count[l];
    }
  }
  return sums;
}

// The same sums from per-position weights over distinct tokens.
DocumentSums SumAttention(const DocumentAttention& doc, const std::vector<int>& topic_of_word) {
  double N = 0.0;
  for (int c : doc.counts) N += c;
  DocumentSums sums;
  const std::size_t K = doc.tokens.size();
  for (std::size_t k = 0; k < K; ++k) {
    for (std::size_t l = 0; l < K; ++l) {
      const Bucket bucket = l == k                                                         ? kSameToken
                            : topic_of_word[doc.tokens[l]] == topic_of_word[doc.tokens[k]] ? kSameTopic
                                                                                           : kDifferentTopic;
      sums.weight[bucket] += doc.counts[k] * (N * doc.counts[l] * doc.weights(k, l));
      sums.pairs[bucket] += static_cast<double>(doc.counts[k]) * doc.counts[l];
    }
  }
  return sums;
}

void CheckInputs(const theory::Matrix& scores, const std::vector<std::vector<int>>& documents,
                 const std::vector<int>& topic_of_word) {
  const Eigen::Index v = static_cast<Eigen::Index>(topic_of_word.size());
  if (scores.rows() != scores.cols()) {
    throw std::invalid_argument(
        fmt::format("attention buckets: scores must be square, got {}x{}", scores.rows(), scores.cols()));
  }
  if (v < 1 || v > scores.rows()) {
    throw std::invalid_argument(fmt::format(
        "attention buckets: topic_of_word must have 1..n={} entries (one per word), got {}", scores.rows(), v));
  }
  for (Eigen::Index a = 0; a < v; ++a) {
    for (Eigen::Index q = 0; q < v; ++q) {
      if (!std::isfinite(scores(q, a))) {
        throw std::invalid_argument(
            fmt::format("attention buckets: scores({}, {}) must be finite, got {}", q, a, scores(q, a)));
      }
    }
  }
  for (std::size_t d = 0; d < documents.size(); ++d) {
    for (std::size_t i = 0; i < documents[d].size(); ++i) {
      const int w = documents[d][i];
      if (w < 0 || w >= v) {
        throw std::invalid_argument(fmt::format(
            "attention buckets: document {} position {} must be a word id in 0..{}, got {}", d, i, v - 1, w));
      }
    }
  }
}

// The buckets pooled over the documents' sums (in document order).
AttentionBuckets PoolBuckets(const std::vector<DocumentSums>& per_document) {
  const std::uint64_t D = per_document.size();
  std::array<theory::RatioAccumulator<double>, kBuckets> ratio{theory::RatioAccumulator<double>(0.0),
                                                               theory::RatioAccumulator<double>(0.0),
                                                               theory::RatioAccumulator<double>(0.0)};
  for (const DocumentSums& s : per_document) {
    for (int b = 0; b < kBuckets; ++b) ratio[b].Add(s.weight[b], s.pairs[b]);
  }
  AttentionBuckets r;
  r.documents = D;
  std::array<AttentionBucket*, kBuckets> out{&r.same_token, &r.same_topic, &r.different_topic};
  for (int b = 0; b < kBuckets; ++b) {
    out[b]->pairs = static_cast<std::uint64_t>(ratio[b].sum_n);
    if (out[b]->pairs > 0) out[b]->mean = ratio[b].Estimate();
    if (out[b]->pairs > 0 && D >= 2) out[b]->standard_error = ratio[b].StandardError();
  }

  if (r.same_token.pairs == 0) {
    r.reason = "no word positions in the documents";
  } else if (r.different_topic.pairs == 0) {
    r.reason = "no different-topic pairs (one topic, or every document uses a single topic)";
  } else if (r.same_topic.pairs == 0) {
    r.reason = "no same-topic pairs of different tokens (one word per topic, or documents too short)";
  }
  r.applicable = r.reason.empty();
  if (!r.applicable) return r;
  r.margin = r.same_topic.mean - r.different_topic.mean;
  if (D >= 2) {
    // Delta method for a difference of two ratios over the same clusters: the per-document linearised
    // residuals of the two ratios are subtracted before squaring.
    const double nbar_topic = ratio[kSameTopic].sum_n / D, nbar_other = ratio[kDifferentTopic].sum_n / D;
    double ss = 0.0;
    for (const DocumentSums& s : per_document) {
      const double u = (s.weight[kSameTopic] - r.same_topic.mean * s.pairs[kSameTopic]) / nbar_topic -
                       (s.weight[kDifferentTopic] - r.different_topic.mean * s.pairs[kDifferentTopic]) / nbar_other;
      ss += u * u;
    }
    r.margin_standard_error = std::sqrt(ss / (static_cast<double>(D) * (D - 1.0)));
  }
  r.holds = r.margin > 0.0;
  return r;
}

}  // namespace

AttentionBuckets MeasureAttentionBuckets(const theory::Matrix& scores, const std::vector<std::vector<int>>& documents,
                                         const std::vector<int>& topic_of_word, int threads) {
  CheckInputs(scores, documents, topic_of_word);
  const std::uint64_t D = documents.size();
  // Each document's sums land in its own slot, so neither the values nor the order of the pooled sums
  // below depend on the thread count.
  std::vector<DocumentSums> per_document(D);
  theory::DeterministicParallelReduce(
      D, 0, [&](std::uint64_t d, int&) { per_document[d] = SumDocument(scores, documents[d], topic_of_word); },
      [](int&, int) {}, threads > 0 ? threads : theory::DefaultThreads());

  return PoolBuckets(per_document);
}

AttentionBuckets MeasureAttentionBuckets(const theory::Matrix& scores, const theory::Scenario& scenario,
                                         std::size_t documents, std::uint64_t seed, int threads) {
  const theory::Corpus corpus = theory::SampleCorpus(scenario, documents, seed);
  return MeasureAttentionBuckets(scores, corpus.documents, WordTopics(scenario.topics), threads);
}

AttentionBucketSums::AttentionBucketSums(std::vector<int> topic_of_word) : topic_of_word_(std::move(topic_of_word)) {}

void AttentionBucketSums::Add(const DocumentAttention& doc) {
  const std::size_t d = sums_.size();
  const auto v = static_cast<int>(topic_of_word_.size());
  const auto K = static_cast<Eigen::Index>(doc.tokens.size());
  if (doc.counts.size() != doc.tokens.size() || doc.weights.rows() != K || doc.weights.cols() != K) {
    throw std::invalid_argument(
        fmt::format("attention buckets: document {} has {} tokens, {} counts and a {}x{} "
                    "weight matrix",
                    d, doc.tokens.size(), doc.counts.size(), doc.weights.rows(), doc.weights.cols()));
  }
  for (Eigen::Index k = 0; k < K; ++k) {
    if (doc.tokens[k] < 0 || doc.tokens[k] >= v || doc.counts[k] < 1) {
      throw std::invalid_argument(
          fmt::format("attention buckets: document {} token {} must be a word id in 0..{} "
                      "with a count >= 1, got {} (count {})",
                      d, k, v - 1, doc.tokens[k], doc.counts[k]));
    }
  }
  if (!doc.weights.allFinite()) {
    throw std::invalid_argument(fmt::format("attention buckets: document {} has a non-finite weight", d));
  }
  const DocumentSums s = SumAttention(doc, topic_of_word_);
  sums_.push_back({s.weight[0], s.weight[1], s.weight[2], s.pairs[0], s.pairs[1], s.pairs[2]});
}

AttentionBuckets AttentionBucketSums::Result() const {
  std::vector<DocumentSums> per_document(sums_.size());
  for (std::size_t d = 0; d < sums_.size(); ++d) {
    for (int b = 0; b < kBuckets; ++b) {
      per_document[d].weight[b] = sums_[d][b];
      per_document[d].pairs[b] = sums_[d][kBuckets + b];
    }
  }
  return PoolBuckets(per_document);
}

}  // namespace ldaformer::claims
