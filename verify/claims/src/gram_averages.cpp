#include "ldaformer/claims/gram_averages.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::claims {

GramAverages MeasureGramAverages(const theory::Matrix& E, const std::vector<int>& topic_of_word, int v) {
  if (v < 1 || v > E.cols()) {
    throw std::invalid_argument(fmt::format("gram averages: v must be in 1..n={}, got v={}", E.cols(), v));
  }
  for (Eigen::Index j = 0; j < E.cols(); ++j) {
    for (Eigen::Index i = 0; i < E.rows(); ++i) {
      if (!std::isfinite(E(i, j))) {
        throw std::invalid_argument(fmt::format("gram averages: E({}, {}) must be finite, got {}", i, j, E(i, j)));
      }
    }
  }
  const theory::Matrix G = E.leftCols(v).transpose() * E.leftCols(v);
  GramAverages r;
  r.block = MeasureBlockStructure(G, topic_of_word, v);
  r.margin = WorstRowMargin(G, topic_of_word, v, /*include_diagonal=*/true);
  r.off_diagonal_margin = WorstRowMargin(G, topic_of_word, v, /*include_diagonal=*/false);
  if (r.margin.word < 0) r.reason = "one topic: there is no other topic to compare with";
  r.applicable = r.reason.empty();
  r.holds = r.applicable && r.margin.value > 0.0;
  return r;
}

}  // namespace ldaformer::claims
