// Claim T3's value matrix on a general beta: the T2 optimum made block-wise over word groups.
//
// Under A1 the theorem fixes W^V to the idealised block matrix b B + c J on the word block: the T2
// optimum's topic-block averages with its same-word excess a I removed (claim_t3.cpp). Without A1 there
// is no topic-block algebra, but words still fall into groups (their argmax topics, claims::WordTopics),
// of unequal sizes in general. The same idealisation on groups: every word-word entry (i, j) becomes the
// mean of X over the pairs of different words in the group pair (group(i), group(j)), the diagonal
// included (that is the same-word excess removed); every word-special entry becomes the mean over the
// words of its group; the special block is kept. Under A1 with an exchangeable prior every group pair of
// the T2 optimum has the same off-diagonal mean by symmetry, so this is the A1 idealised matrix (to
// rounding).
#pragma once

#include <vector>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// The group-idealised matrix of X (n x n, words 0..v-1, topic_of_word: v integer labels, any values).
// A group of a single word has no pair of different words: its diagonal entry becomes X(i, i) minus the
// same-word excess pooled over the other groups (the mean diagonal minus the mean same-group
// off-diagonal entry over the groups of two or more words), and stays X(i, i) when every group is a
// single word. Throws std::invalid_argument when the shapes do not fit or an entry is not finite.
theory::Matrix GroupIdealisedValueMatrix(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v);

}  // namespace ldaformer::claims
