#include "ldaformer/claims/group_value_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::claims {

namespace {

// Words relabelled 0..G-1 by their sorted distinct labels.
std::vector<int> DenseLabels(const std::vector<int>& topic_of_word, int* groups) {
  std::vector<int> labels = topic_of_word;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  std::vector<int> group;
  group.reserve(topic_of_word.size());
  for (const int label : topic_of_word) {
    group.push_back(static_cast<int>(std::lower_bound(labels.begin(), labels.end(), label) - labels.begin()));
  }
  *groups = static_cast<int>(labels.size());
  return group;
}

void CheckInputs(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v) {
  if (X.rows() != X.cols()) {
    throw std::invalid_argument(fmt::format("group value matrix: X must be square, got {}x{}", X.rows(), X.cols()));
  }
  if (v < 1 || v > X.rows()) {
    throw std::invalid_argument(fmt::format("group value matrix: v must be in 1..n={}, got v={}", X.rows(), v));
  }
  if (static_cast<int>(topic_of_word.size()) != v) {
    throw std::invalid_argument(
        fmt::format("group value matrix: topic_of_word must have v={} entries, got {}", v, topic_of_word.size()));
  }
  if (!X.allFinite()) throw std::invalid_argument("group value matrix: X must be finite");
}

}  // namespace

theory::Matrix GroupIdealisedValueMatrix(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v) {
  CheckInputs(X, topic_of_word, v);
  int G = 0;
  const std::vector<int> group = DenseLabels(topic_of_word, &G);
  const Eigen::Index n = X.rows();
  const Eigen::Index s = n - v;
  std::vector<double> size(G, 0.0);
  for (const int g : group) size[g] += 1.0;

  // Sums over group pairs (diagonal left out), over each group's diagonal, and of the word-special blocks
  // over each group's words.
  theory::Matrix pair_sum = theory::Matrix::Zero(G, G);
  theory::Vector diagonal_sum = theory::Vector::Zero(G);
  theory::Matrix right_sum = theory::Matrix::Zero(G, s);  // sum over i in g of X(i, v + k)
  theory::Matrix below_sum = theory::Matrix::Zero(s, G);  // sum over j in g of X(v + k, j)
  for (int j = 0; j < v; ++j) {
    for (int i = 0; i < v; ++i) {
      if (i == j) {
        diagonal_sum[group[i]] += X(i, i);
      } else {
        pair_sum(group[i], group[j]) += X(i, j);
      }
    }
    right_sum.row(group[j]) += X.block(j, v, 1, s);
    below_sum.col(group[j]) += X.block(v, j, s, 1);
  }
  theory::Matrix pair_mean(G, G);
  for (int h = 0; h < G; ++h) {
    for (int g = 0; g < G; ++g) {
      const double pairs = g == h ? size[g] * (size[g] - 1.0) : size[g] * size[h];
      pair_mean(g, h) = pairs > 0.0 ? pair_sum(g, h) / pairs : 0.0;
    }
  }
  // The same-word excess pooled over the groups of two or more words: what a single word's diagonal
  // loses, since it has no pair of its own to average.
  double pooled_diagonal = 0.0, pooled_pairs = 0.0, pooled_words = 0.0, pooled_pair_count = 0.0;
  for (int g = 0; g < G; ++g) {
    if (size[g] < 2.0) continue;
    pooled_diagonal += diagonal_sum[g];
    pooled_words += size[g];
    pooled_pairs += pair_sum(g, g);
    pooled_pair_count += size[g] * (size[g] - 1.0);
  }
  const double excess = pooled_words > 0.0 ? pooled_diagonal / pooled_words - pooled_pairs / pooled_pair_count : 0.0;

  theory::Matrix W = X;
  for (int j = 0; j < v; ++j) {
    for (int i = 0; i < v; ++i) {
      const bool single = i == j && size[group[i]] < 2.0;
      W(i, j) = single ? X(i, i) - excess : pair_mean(group[i], group[j]);
    }
    W.block(j, v, 1, s) = right_sum.row(group[j]) / size[group[j]];
    W.block(v, j, s, 1) = below_sum.col(group[j]) / size[group[j]];
  }
  return W;
}

}  // namespace ldaformer::claims
