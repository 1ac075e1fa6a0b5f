// Matching fitted topics to planted ones. Topic models are identified only up to a permutation of the
// topics, so a fitted topic-word matrix is compared with the truth after the best one-to-one matching.
#pragma once

#include <vector>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::assumptions {

// The optimal assignment of rows to columns of a cost matrix (rows <= cols), by the Hungarian method
// (Kuhn-Munkres with potentials, O(rows^2 cols)). Returns column[row]. Throws std::invalid_argument when
// rows > cols or a cost is not finite.
std::vector<int> MinimumCostAssignment(const theory::Matrix& cost);

// How well `fitted` (K' x v, K' >= K) recovers `truth` (K x v) under the best matching.
struct TopicMatching {
  std::vector<int> fitted_of_true;    // true topic t is matched to fitted topic fitted_of_true[t]
  double mean_total_variation = 0.0;  // mean over true topics of 1/2 ||truth_t - fitted_matched||_1
  double max_total_variation = 0.0;
  // The matching accuracy: the share of word mass (under the true topics' average word law) whose
  // fitted top topic is the match of its true top topic.
  double word_accuracy = 0.0;
};

// Matches by minimum total L1 distance between topic rows. Throws std::invalid_argument when the
// vocabularies differ or `fitted` has fewer topics than `truth`.
TopicMatching MatchTopics(const theory::Matrix& truth, const theory::Matrix& fitted);

}  // namespace ldaformer::assumptions
