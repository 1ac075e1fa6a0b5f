// BERT-style masking, and what one input position shows.
#pragma once

#include <string>

#include "ldaformer/theory/names.hpp"

namespace ldaformer::theory {

// Which positions the attention of a query may read.
enum class KeySet {
  kAllPositions,    // theory default: all N positions, the query's own included
  kUnselectedOnly,  // the authors' code: only positions that were not selected for prediction
};

// Where a random replacement is drawn from.
enum class ReplacementAlphabet {
  kWords,      // theory default: uniform over the v words
  kAllTokens,  // the authors' code: uniform over all n tokens, specials included
};

template <>
inline const NameTable<KeySet> kNames<KeySet> = {{KeySet::kAllPositions, "all"},
                                                 {KeySet::kUnselectedOnly, "unselected"}};
template <>
inline const NameTable<ReplacementAlphabet> kNames<ReplacementAlphabet> = {
    {ReplacementAlphabet::kWords, "words"}, {ReplacementAlphabet::kAllTokens, "all_tokens"}};

// Each position is selected with probability p_m. A selected position shows its true word with
// probability p_c, a uniformly random token with probability p_r, and MASK otherwise. Unselected
// positions show their true word.
struct Masking {
  double p_m = 0.15;
  double p_c = 0.1;
  double p_r = 0.1;
  KeySet keys = KeySet::kAllPositions;
  ReplacementAlphabet replacement = ReplacementAlphabet::kWords;

  // Throws std::invalid_argument naming the field and the value unless p_m, p_c, p_r are finite,
  // in [0, 1], and p_c + p_r <= 1.
  void Validate() const;
};

// What a position shows: its true word with probability `word`, a random replacement with
// probability `random`, MASK with probability `mask` (the three sum to 1).
struct Channel {
  double word = 1.0;
  double random = 0.0;
  double mask = 0.0;
};

// The prediction target: a selected position (p_c, p_r, mu0 = 1 - p_c - p_r).
Channel TargetChannel(const Masking& masking);
// Any other position, selected or not (k = 1 - p_m + p_m p_c, rho = p_m p_r, mu = p_m mu0).
Channel OtherChannel(const Masking& masking);

}  // namespace ldaformer::theory
