// Claim T1's predicate: at an optimal embedding, same-topic words have larger inner products on average.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// Inner-product averages of the word embeddings, G = E_w^T E_w with E_w the word columns of E (d x n).
struct GramAverages {
  // False with one topic: both margins are NaN and `reason` says why. With m = 1 the averaged margin is
  // defined but the off-diagonal margin is NaN (block.reason says why).
  bool applicable = false;
  std::string reason;

  // T1 as stated in docs/THEOREMS.md: min over words i of  mean_{j in topic(i)} G(i, j) - max_{t' != topic(i)}
  // mean_{j in t'} G(i, j), with j = i included in the own-topic mean. Positive for E = I (1/m): the
  // diagonal alone can carry it, as the paper's remark on diagonal Gram matrices allows.
  WordMargin margin;
  // The stricter version with j != i: 0 for E = I, so it tells learnt topic structure from mere norms.
  WordMargin off_diagonal_margin;
  BlockStructure block;  // block structure of G (v x v, no special tokens)
  bool holds = false;    // applicable && margin.value > 0
};

// E is d x n with n >= v >= 1 columns; topic_of_word has v labels (see WordTopics). Throws
// std::invalid_argument naming the shape or the first non-finite entry.
GramAverages MeasureGramAverages(const theory::Matrix& E, const std::vector<int>& topic_of_word, int v);

}  // namespace ldaformer::claims
