// Masking a corpus document for training: what each position shows, which positions are prediction
// targets, and which positions the attention reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/masking.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

// One masked document as the model sees it.
struct MaskedExample {
  std::vector<int> words;    // true words w_1..w_N (the targets' labels)
  std::vector<int> inputs;   // what each position shows: its word, a random token or MASK
  std::vector<int> targets;  // positions selected for prediction (probability p_m each)
  std::vector<int> keys;     // positions the attention reads: all, or only the unselected ones
};

// Masks `words` (docs/MODEL.md): each position is selected with probability p_m; a selected position
// shows its word with probability p_c, a random token (from the scenario's replacement alphabet) with
// probability p_r, and MASK otherwise; unselected positions show their word.
MaskedExample MaskDocument(const std::vector<int>& words, const theory::Masking& masking,
                           const theory::TokenSpace& tokens, theory::Rng& rng);

// The example as the objective reads it: the inputs at its key positions as one multiset, its targets
// grouped by the token they show (theory::KeyMultiset::FromPositions).
theory::KeyMultiset ExampleKeys(const MaskedExample& example);

// When masks are drawn.
enum class MaskingSchedule {
  kStatic,   // once per document, from (seed, document): the authors' code
  kDynamic,  // afresh for every epoch, from (seed, epoch, document)
};

// The mask stream of document `document` in epoch `epoch` (ignored for static masking).
theory::Rng MaskStream(MaskingSchedule schedule, std::uint64_t seed, std::uint64_t epoch, std::uint64_t document);

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::MaskingSchedule> kNames<sim::MaskingSchedule> = {
    {sim::MaskingSchedule::kStatic, "static"}, {sim::MaskingSchedule::kDynamic, "dynamic"}};

}  // namespace ldaformer::theory
