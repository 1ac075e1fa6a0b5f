// Claim T2's predicate: how block-wise an n x n matrix is, and by how much same-topic entries win.
//
// Words are 0..v-1 and special tokens v..n-1. The block form (docs/THEORY.md, theory/topic_block_matrix.hpp)
// is
//
//     X ~ [ a I + b B + c J    1 f^T ]     B(i, j) = [topic(i) == topic(j)], J = all ones,
//         [ g 1^T              S     ]     S free,
//
// and the claim is that same-topic entries exceed different-topic ones. Topics are given per word as
// arbitrary integer labels, so general (argmax) topics of unequal sizes and shuffled controls work too.
// Applies to W^V, to a Gram matrix E^T E, to a score matrix S; it does not assume symmetry.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/topic_model.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// The topic of every word 0..v-1: argmax_t beta(t, w), the lowest t on ties (so a word no topic emits,
// or one that every topic emits equally, lands in topic 0). Under A1 this is TopicOf(w); on a general
// beta it is the grouping by which T1-T3 are measured (groups may have unequal sizes, or be missing).
std::vector<int> WordTopics(const theory::TopicModel& topics);

// The worst word of a per-word margin; value is NaN (and word -1) when no word qualifies.
struct WordMargin {
  double value = 0.0;
  int word = -1;
};

// min over words i of  mean_{j in topic(i)} X(i, j) - max_{t' != topic(i)} mean_{j in t'} X(i, j),
// over the word block X(0..v-1, 0..v-1). With include_diagonal = false the own-topic mean skips j = i
// and words alone in their topic do not qualify. NaN when there is only one topic.
// Throws std::invalid_argument when the shapes do not fit (see MeasureBlockStructure).
WordMargin WorstRowMargin(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v, bool include_diagonal);

// The linear functional that is `word`'s row margin near X: the coefficients F (n x n, zero outside row
// `word`) with <F, X>_F = the row margin of WorstRowMargin, its max over other topics fixed at the topic that
// attains it at X. Its gradient for a sampling error (the margin is piecewise linear in X). Throws
// std::invalid_argument for the shapes (as MeasureBlockStructure) or a word without a row margin.
theory::Matrix RowMarginFunctional(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v, int word,
                                   bool include_diagonal);

// The block structure of X. Coefficients a, b, c come from the least-squares projection P(X) of the word
// block onto span{I, B, J}, which is the mean of X over each of the three disjoint sets "same word"
// (the diagonal), "same topic, different word" and "different topic": c = different-topic mean,
// b = same-topic mean - c, a = same-word mean - b - c. f and g are the column / row means of the
// word-special blocks, and S fits exactly.
struct BlockStructure {
  // False when a set is empty (one topic, or every topic a single word): the coefficients and means
  // that need it are NaN and `reason` says which set is missing. relative_residual is always defined.
  bool applicable = false;
  std::string reason;

  double a = 0.0, b = 0.0, c = 0.0;  // word block a I + b B + c J
  theory::Vector f;                  // top-right block 1 f^T (size n - v)
  theory::Vector g;                  // bottom-left block g 1^T (size n - v)
  // ||X - P(X)||_F / ||X||_F: 0 for an exactly block-wise matrix (and for X = 0).
  double relative_residual = 0.0;

  double same_word_mean = 0.0;        // mean of X(i, i), i a word
  double same_topic_mean = 0.0;       // mean of X(i, j), i != j words of one topic
  double different_topic_mean = 0.0;  // mean of X(i, j), words of different topics
  double contrast = 0.0;              // same_topic_mean - different_topic_mean (= b)

  // Worst per-word margins with j != i (WorstRowMargin with include_diagonal = false), on the rows
  // of X and on its columns; margin is the smaller. Exactly b for a block-wise matrix, 0 for I.
  WordMargin row_margin, column_margin;
  double margin = 0.0;
  // Over the words with a row margin (j != i): the share whose own-topic mean beats every other topic's
  // mean (row margin > 0), and the share whose own-topic mean beats the mean over all different-topic
  // words. NaN when no word qualifies. A matrix with a few bad words can still have most words right.
  double share_above_every_topic = 0.0;
  double share_above_other_topics = 0.0;
  bool holds = false;  // applicable && margin > 0 (the contrast only; judge relative_residual separately)
};

// X is n x n with n >= v >= 1 and topic_of_word has v labels. Throws std::invalid_argument naming the
// shape or the first non-finite entry.
BlockStructure MeasureBlockStructure(const theory::Matrix& X, const std::vector<int>& topic_of_word, int v);
// The same with topics.v words and WordTopics(topics).
BlockStructure MeasureBlockStructure(const theory::Matrix& X, const theory::TopicModel& topics);

// The means, contrast, margins (with their words), residual, shares and verdict as JSON.
nlohmann::json ToJson(const BlockStructure& block);

}  // namespace ldaformer::claims
