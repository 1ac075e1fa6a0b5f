// The topic-word matrix beta (T x v, rows are distributions over words).
#pragma once

#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// Topics of an LDA model. Assumption A1 (disjoint supports of equal size m = v/T, uniform on each
// support) is the paper's; a general beta lets users test other assumptions. Build with the named
// constructors, which validate; a TopicModel built that way can be trusted by all inner code.
struct TopicModel {
  int T = 0;
  int v = 0;
  Matrix beta;                    // T x v, beta(t, w) = P(word w | topic t)
  bool disjoint_uniform = false;  // true iff beta satisfies A1 exactly

  // A1: word w belongs to topic w / m and beta(t, w) = 1/m on its support. Throws
  // std::invalid_argument unless T >= 1, v >= 1 and T divides v.
  static TopicModel DisjointUniform(int T, int v);

  // A general beta. Throws std::invalid_argument naming the entry unless every entry is finite and
  // non-negative and every row sums to 1 (within 1e-9). Detects A1 and sets disjoint_uniform.
  static TopicModel FromBeta(const Matrix& beta);

  int m() const { return v / T; }               // words per topic under A1
  int TopicOf(int w) const { return w / m(); }  // only meaningful under A1
};

}  // namespace ldaformer::theory
