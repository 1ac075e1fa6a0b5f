// The authors' inspection of a trained W^V: its word columns (the logits a word's value contributes)
// compared by inner product and cosine within and across topics, and how often a word's nearest column
// belongs to its own topic. Cross-entropy ignores a shift of all logits, so the statistics are also given
// for the columns centred over their rows (each column minus its mean entry).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// Means over pairs of word columns w_a = W^V(:, a), a, b in 0..v-1.
struct ColumnSimilarity {
  double dot_diagonal = std::numeric_limits<double>::quiet_NaN();    // <w_a, w_a>
  double dot_same_topic = std::numeric_limits<double>::quiet_NaN();  // <w_a, w_b>, a != b, same topic
  double dot_different_topic = std::numeric_limits<double>::quiet_NaN();
  double cosine_same_topic = std::numeric_limits<double>::quiet_NaN();  // a != b; 0 for a zero column
  double cosine_different_topic = std::numeric_limits<double>::quiet_NaN();
  // Words whose nearest other column (largest cosine; the lowest index on ties) has their topic.
  std::size_t nearest_same_topic = 0;
  std::size_t words = 0;
};

struct ValueColumns {
  ColumnSimilarity raw;
  ColumnSimilarity centred;  // each column minus the mean of its n entries
};

// W_V is n x n with n >= v = topic_of_word.size() >= 2 (the columns read all n rows). A bucket without pairs
// (one topic, or one word per topic) has NaN means. Throws std::invalid_argument naming the shape or the
// first non-finite entry.
ValueColumns MeasureValueColumns(const theory::Matrix& W_V, const std::vector<int>& topic_of_word);

}  // namespace ldaformer::claims
