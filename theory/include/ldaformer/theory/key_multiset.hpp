// A masked document's prediction targets written as one shared key multiset plus a correction per
// target (docs/THEORY.md, section 2.3).
//
// There are no positional encodings, so what a target attends to is a multiset of key tokens. Every
// target of a document reads the same shared multiset, up to at most one token added and one removed:
//
//   - all positions as keys: the shared multiset is every position's input. Target i shows its target
//     input instead of what the masking drew for it, so it adds target_inputs[i] and removes inputs[i]
//     (nothing when the two are equal, as for a selected target);
//   - unselected keys: the shared multiset is the inputs of the unselected positions. A selected
//     target is not among them (no correction); an unselected target removes its own input.
//
// Targets with the same query token and the same correction get the same attention output, so they
// are grouped: the model is evaluated once per group, and only the true word differs within a group.
// With u distinct shown tokens, a document is u (token, count) pairs and at most N groups, usually
// far fewer (most targets show MASK).
#pragma once

#include <vector>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/masking.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// Which positions of a sampled document serve as prediction targets.
enum class TargetPositions {
  // Every position, each conditioned on being selected (its input drawn from the target channel,
  // the others as masked). Same expectation as kSelected, lower variance, and defined at p_m = 0.
  kEveryPosition,
  // Only the positions the masking selected: the training objective taken literally.
  kSelected,
};

// A change to the shared key multiset: one occurrence of `plus` added, one of `minus` removed
// (-1: none). Never plus == minus >= 0: such a pair cancels and is stored as no correction.
struct KeyCorrection {
  int plus = -1;
  int minus = -1;

  friend bool operator==(const KeyCorrection& a, const KeyCorrection& b) {
    return a.plus == b.plus && a.minus == b.minus;
  }
};

// One prediction target: the token it shows as the query, its true word, and how its keys differ
// from the shared multiset.
struct KeyTarget {
  int position = 0;
  int query = 0;
  int word = 0;
  KeyCorrection correction;
};

// Targets that read the same keys with the same query: targets[order[begin..end-1]].
struct TargetGroup {
  int query = 0;
  KeyCorrection correction;
  int begin = 0;
  int end = 0;
};

struct KeyMultiset {
  std::vector<int> tokens;          // the distinct tokens a of the shared multiset, ascending
  std::vector<int> counts;          // their counts c_a >= 1, aligned with tokens
  int size = 0;                     // sum of the counts
  std::vector<KeyTarget> targets;   // in position order
  std::vector<int> order;           // target indices sorted by (query, plus, minus), then by position
  std::vector<TargetGroup> groups;  // runs of `order` with equal (query, correction), in that order

  // The targets of a sampled document, read through the scenario's key set.
  static KeyMultiset FromDocument(const MaskedDocument& doc, KeySet keys, TargetPositions targets);
  // Targets that all read the same keys, given as positions: the shared multiset is inputs[keys], each
  // target shows inputs[i] as its query and has no correction (a training example, sim::MaskedExample).
  static KeyMultiset FromPositions(const std::vector<int>& inputs, const std::vector<int>& words,
                                   const std::vector<int>& targets, const std::vector<int>& keys);

  // The number of keys a target with this correction reads (0: empty key set).
  int KeyCount(const KeyCorrection& c) const { return size + (c.plus >= 0 ? 1 : 0) - (c.minus >= 0 ? 1 : 0); }
  // The shared multiset as an n-vector of counts, s = sum_a c_a e_a.
  Vector CountVector(int n) const;
};

}  // namespace ldaformer::theory
