#include "ldaformer/claims/block_structure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::claims {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Words relabelled by topic as 0..T-1 (in order of first appearance), with each topic's size.
struct TopicPartition {
  std::vector<int> topic;
  std::vector<int> size;
  int T() const { return static_cast<int>(size.size()); }
};

TopicPartition Partition(const std::vector<int>& topic_of_word) {
  std::vector<int> labels = topic_of_word;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  TopicPartition p;
  p.size.assign(labels.size(), 0);
  p.topic.reserve(topic_of_word.size());
  for (int label : topic_of_word) {
    const int t = static_cast<int>(std::lower_bound(labels.begin(), labels.end(), label) - labels.begin());
    p.topic.push_back(t);
    ++p.size[t];
  }
  return p;
}

void CheckShapes(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v) {
  if (X.rows() != X.cols()) {
    throw std::invalid_argument(fmt::format("block structure: X must be square, got {}x{}", X.rows(), X.cols()));
  }
  if (v < 1 || v > X.rows()) {
    throw std::invalid_argument(fmt::format("block structure: v must be in 1..n={}, got v={}", X.rows(), v));
  }
  if (static_cast<int>(topic_of_word.size()) != v) {
    throw std::invalid_argument(
        fmt::format("block structure: topic_of_word must have v={} entries, got {}", v, topic_of_word.size()));
  }
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      if (!std::isfinite(X(i, j))) {
        throw std::invalid_argument(fmt::format("block structure: X({}, {}) must be finite, got {}", i, j, X(i, j)));
      }
    }
  }
}

double MeanOrNaN(double sum, double count) { return count > 0 ? sum / count : kNaN; }

// One word's row: its own-topic mean minus the best other topic's mean, and minus the mean over all
// different-topic words. qualifies is false for a word alone in its topic (without the diagonal) or
// when there is a single topic.
struct RowMargin {
  bool qualifies = false;
  double against_every_topic = kNaN;
  double against_other_topics = kNaN;
};

std::vector<RowMargin> RowMargins(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v,
                                  bool include_diagonal) {
  CheckShapes(X, topic_of_word, v);
  const TopicPartition p = Partition(topic_of_word);
  // topic_sum(i, t) = sum of X(i, j) over the words j of topic t (skipping j = i unless include_diagonal).
  theory::Matrix topic_sum = theory::Matrix::Zero(v, p.T());
  for (int j = 0; j < v; ++j) {
    for (int i = 0; i < v; ++i) {
      if (include_diagonal || i != j) topic_sum(i, p.topic[j]) += X(i, j);
    }
  }
  std::vector<RowMargin> rows(v);
  for (int i = 0; i < v; ++i) {
    const int t = p.topic[i];
    const int own_count = include_diagonal ? p.size[t] : p.size[t] - 1;
    if (own_count == 0 || p.T() < 2) continue;
    double best_other = -std::numeric_limits<double>::infinity();
    for (int u = 0; u < p.T(); ++u) {
      if (u != t) best_other = std::max(best_other, topic_sum(i, u) / p.size[u]);
    }
    const double own = topic_sum(i, t) / own_count;
    const double pooled_other = (topic_sum.row(i).sum() - topic_sum(i, t)) / (v - p.size[t]);
    rows[i] = {true, own - best_other, own - pooled_other};
  }
  return rows;
}

WordMargin Worst(const std::vector<RowMargin>& rows) {
  WordMargin worst{kNaN, -1};
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    if (rows[i].qualifies && (worst.word < 0 || rows[i].against_every_topic < worst.value)) {
      worst = {rows[i].against_every_topic, i};
    }
  }
  return worst;
}

}  // namespace

std::vector<int> WordTopics(const theory::TopicModel& topics) {
  std::vector<int> topic(topics.v, 0);
  for (int w = 0; w < topics.v; ++w) {
    for (int t = 1; t < topics.T; ++t) {
      if (topics.beta(t, w) > topics.beta(topic[w], w)) topic[w] = t;
    }
  }
  return topic;
}

WordMargin WorstRowMargin(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v,
                          bool include_diagonal) {
  return Worst(RowMargins(X, topic_of_word, v, include_diagonal));
}

theory::Matrix RowMarginFunctional(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v, int word,
                                   bool include_diagonal) {
  CheckShapes(X, topic_of_word, v);
  const TopicPartition p = Partition(topic_of_word);
  if (word < 0 || word >= v) {
    throw std::invalid_argument(fmt::format("row margin functional: word must be in 0..{}, got {}", v - 1, word));
  }
  const int t = p.topic[word];
  const int own_count = include_diagonal ? p.size[t] : p.size[t] - 1;
  if (own_count == 0 || p.T() < 2) {
    throw std::invalid_argument(fmt::format("row margin functional: word {} has no row margin", word));
  }
  std::vector<double> topic_sum(p.T(), 0.0);
  for (int j = 0; j < v; ++j) {
    if (include_diagonal || j != word) topic_sum[p.topic[j]] += X(word, j);
  }
  int best = -1;  // the other topic with the largest mean: the max's active piece
  for (int u = 0; u < p.T(); ++u) {
    if (u != t && (best < 0 || topic_sum[u] / p.size[u] > topic_sum[best] / p.size[best])) best = u;
  }
  theory::Matrix F = theory::Matrix::Zero(X.rows(), X.cols());
  for (int j = 0; j < v; ++j) {
    if (p.topic[j] == t && (include_diagonal || j != word)) F(word, j) = 1.0 / own_count;
    if (p.topic[j] == best) F(word, j) = -1.0 / p.size[best];
  }
  return F;
}

BlockStructure MeasureBlockStructure(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v) {
  CheckShapes(X, topic_of_word, v);
  const Eigen::Index n = X.rows();
  const Eigen::Index s = n - v;
  // The three sets of word pairs partition the word block; span{I, B, J} is the span of their indicators
  // (when all are non-empty), so the least-squares projection is the mean on each set.
  enum Set { kSameWord, kSameTopic, kDifferentTopic };
  auto set_of = [&](int i, int j) {
    if (i == j) return kSameWord;
    return topic_of_word[i] == topic_of_word[j] ? kSameTopic : kDifferentTopic;
  };
  double sum[3] = {0, 0, 0}, count[3] = {0, 0, 0};
  for (int j = 0; j < v; ++j) {
    for (int i = 0; i < v; ++i) {
      sum[set_of(i, j)] += X(i, j);
      count[set_of(i, j)] += 1;
    }
  }
  const double mean[3] = {MeanOrNaN(sum[0], count[0]), MeanOrNaN(sum[1], count[1]), MeanOrNaN(sum[2], count[2])};

  BlockStructure r;
  r.same_word_mean = mean[kSameWord];
  r.same_topic_mean = mean[kSameTopic];
  r.different_topic_mean = mean[kDifferentTopic];
  r.contrast = r.same_topic_mean - r.different_topic_mean;
  r.c = r.different_topic_mean;
  r.b = r.contrast;
  r.a = r.same_word_mean - r.same_topic_mean;
  r.f = X.topRightCorner(v, s).colwise().mean().transpose();
  r.g = X.bottomLeftCorner(s, v).rowwise().mean();

  double residual = 0.0;
  for (int j = 0; j < v; ++j) {
    for (int i = 0; i < v; ++i) residual += std::pow(X(i, j) - mean[set_of(i, j)], 2);
  }
  residual += (X.topRightCorner(v, s).rowwise() - r.f.transpose()).squaredNorm();
  residual += (X.bottomLeftCorner(s, v).colwise() - r.g).squaredNorm();
  const double norm = X.norm();
  r.relative_residual = norm > 0.0 ? std::sqrt(residual) / norm : 0.0;

  if (count[kDifferentTopic] == 0) {
    r.reason = "one topic: there are no different-topic word pairs";
  } else if (count[kSameTopic] == 0) {
    r.reason = "every topic has a single word: there are no same-topic pairs of different words";
  }
  r.applicable = r.reason.empty();
  const std::vector<RowMargin> rows = RowMargins(X, topic_of_word, v, /*include_diagonal=*/false);
  r.row_margin = Worst(rows);
  double qualifying = 0, above_every = 0, above_others = 0;
  for (const RowMargin& row : rows) {
    qualifying += row.qualifies;
    above_every += row.qualifies && row.against_every_topic > 0.0;
    above_others += row.qualifies && row.against_other_topics > 0.0;
  }
  r.share_above_every_topic = MeanOrNaN(above_every, qualifying);
  r.share_above_other_topics = MeanOrNaN(above_others, qualifying);
  r.column_margin = WorstRowMargin(X.transpose(), topic_of_word, v, /*include_diagonal=*/false);
  r.margin = r.applicable ? std::min(r.row_margin.value, r.column_margin.value) : kNaN;
  r.holds = r.applicable && r.margin > 0.0;
  return r;
}

BlockStructure MeasureBlockStructure(const theory::Matrix& X, const theory::TopicModel& topics) {
  return MeasureBlockStructure(X, WordTopics(topics), topics.v);
}

nlohmann::json ToJson(const BlockStructure& b) {
  auto margin = [](const WordMargin& m) { return nlohmann::json{{"value", m.value}, {"word", m.word}}; };
  return {{"applicable", b.applicable},
          {"reason", b.reason},
          {"same_word_mean", b.same_word_mean},
          {"same_topic_mean", b.same_topic_mean},
          {"different_topic_mean", b.different_topic_mean},
          {"contrast", b.contrast},
          {"margin", b.margin},
          {"row_margin", margin(b.row_margin)},
          {"column_margin", margin(b.column_margin)},
          {"relative_residual", b.relative_residual},
          {"share_above_every_topic", b.share_above_every_topic},
          {"share_above_other_topics", b.share_above_other_topics},
          {"holds", b.holds}};
}

}  // namespace ldaformer::claims
