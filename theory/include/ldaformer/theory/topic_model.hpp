// The topic-word matrix beta (T x v, rows are distributions over words).
#pragma once

#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// Topics of an LDA model. Assumption A1 (disjoint supports of equal size m = v/T, uniform on each
// support) is the paper's; a general beta lets users test other assumptions. Build with the named
// constructors, which validate; a TopicModel built that way can be trusted by all inner code.
// Rounding allowed in a typed beta, per word of a row: |row sum - 1| <= v * kBetaRowSumTolerance.
inline constexpr double kBetaRowSumTolerance = 1e-6;

struct TopicModel {
  int T = 0;
  int v = 0;
  Matrix beta;                    // T x v, beta(t, w) = P(word w | topic t)
  bool disjoint_uniform = false;  // true iff beta satisfies A1 exactly
  // The largest |row sum - 1| of a given beta before its rows were divided by their sums (0 when every
  // row summed to 1 within 1e-9): typed numbers are rounded, and the caller reports the renormalisation.
  double renormalised_deviation = 0.0;

  // A1: word w belongs to topic w / m and beta(t, w) = 1/m on its support. Throws
  // std::invalid_argument unless T >= 1, v >= 1 and T divides v.
  static TopicModel DisjointUniform(int T, int v);

  // A general beta. Throws std::invalid_argument naming the entry unless every entry is finite and
  // non-negative and every row sums to 1 within kBetaRowSumTolerance per word (v 1e-6: entries typed
  // with 6 decimals); rows off by more than 1e-9 are divided by their sums. Detects A1 (after that).
  static TopicModel FromBeta(const Matrix& beta);

  int m() const { return v / T; }               // words per topic under A1
  int TopicOf(int w) const { return w / m(); }  // only meaningful under A1
};

}  // namespace ldaformer::theory
