#include "ldaformer/claims/value_columns.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::claims {
namespace {

ColumnSimilarity Similarity(const theory::Matrix& columns, const std::vector<int>& topic) {
  const auto v = static_cast<Eigen::Index>(topic.size());
  const theory::Matrix gram = columns.transpose() * columns;  // v x v inner products
  const theory::Vector norms = gram.diagonal().cwiseSqrt();
  double dot[3] = {0, 0, 0}, cosine[2] = {0, 0};
  std::size_t count[3] = {0, 0, 0};
  ColumnSimilarity s;
  s.words = topic.size();
  for (Eigen::Index a = 0; a < v; ++a) {
    dot[0] += gram(a, a);
    ++count[0];
    Eigen::Index nearest = -1;
    double best = -std::numeric_limits<double>::infinity();
    for (Eigen::Index b = 0; b < v; ++b) {
      if (b == a) continue;
      const double c = norms(a) > 0 && norms(b) > 0 ? gram(a, b) / (norms(a) * norms(b)) : 0.0;
      const int bucket = topic[a] == topic[b] ? 1 : 2;
      dot[bucket] += gram(a, b);
      cosine[bucket - 1] += c;
      ++count[bucket];
      if (c > best) {
        best = c;
        nearest = b;
      }
    }
    if (nearest >= 0 && topic[nearest] == topic[a]) ++s.nearest_same_topic;
  }
  auto mean = [](double sum, std::size_t n) { return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN(); };
  s.dot_diagonal = mean(dot[0], count[0]);
  s.dot_same_topic = mean(dot[1], count[1]);
  s.dot_different_topic = mean(dot[2], count[2]);
  s.cosine_same_topic = mean(cosine[0], count[1]);
  s.cosine_different_topic = mean(cosine[1], count[2]);
  return s;
}

}  // namespace

ValueColumns MeasureValueColumns(const theory::Matrix& W_V, const std::vector<int>& topic_of_word) {
  const auto v = static_cast<Eigen::Index>(topic_of_word.size());
  if (W_V.rows() != W_V.cols() || v < 2 || W_V.cols() < v) {
    throw std::invalid_argument(
        fmt::format("value columns: W_V must be n x n with n >= v = {} >= 2, got {}x{}", v, W_V.rows(), W_V.cols()));
  }
  for (Eigen::Index k = 0; k < W_V.size(); ++k) {
    if (!std::isfinite(W_V.data()[k])) {
      throw std::invalid_argument(fmt::format("value columns: W_V({}, {}) is not finite, got {}", k % W_V.rows(),
                                              k / W_V.rows(), W_V.data()[k]));
    }
  }
  const theory::Matrix words = W_V.leftCols(v);
  const theory::Matrix centred = words.rowwise() - words.colwise().mean();
  return {Similarity(words, topic_of_word), Similarity(centred, topic_of_word)};
}

}  // namespace ldaformer::claims
