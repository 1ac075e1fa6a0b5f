// The conventions of the authors' released experiment code (docs/MODEL.md), as presets.
//
// `authors` is their committed configuration: BERT's 80/10/10 masking with p_m = 0.15 (p_c = 0.1,
// p_r = 0.1), attention keys = the unselected positions only, random replacements from all tokens including
// 4 special tokens (PAD, MASK, START, END: n = v + 4), masks drawn once per document (static), one-hot
// embedding, attention frozen uniform, only W^V trained, the identity decoder, cross-entropy, Adam at lr
// 0.01, batch 40. `authors-full` is the same with every matrix (E, W^K, W^Q, W^V) trained.
// Not reproduced (AuthorsPresetDifferences lists them for reports): the trainable vector added to every
// input and the trainable LayerNorm before attention; PyTorch's default uniform initialisation of W^V
// (here every trained matrix starts at N(0, init_scale^2)); early stopping on dev loss over at most 20
// epochs (here a fixed number of steps); their L2 term, which adds no gradient (here no L2, the same in
// effect); their rank-one "frozen block W^V" (here the real block matrix); their attention statistics,
// which look topics up by token id, off by the 4 specials (here by word id).
#pragma once

#include <string>
#include <vector>

#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::sim {

enum class Preset {
  kNone,         // the plain defaults of TrainingOptions
  kAuthors,      // the authors' committed configuration: W^V only, attention uniform, one-hot E
  kAuthorsFull,  // the same conventions with E, W^K, W^Q and W^V trained
};

// `base` with the authors' masking, key set, replacement alphabet and 4 special tokens.
theory::Scenario AuthorsScenario(theory::Scenario base);

// The preset's model and optimiser settings (kNone: TrainingOptions{}); the authors' steps are 20 epochs of a
// 10,000-document split at batch 40.
TrainingOptions PresetTrainingOptions(Preset preset);

// The differences from the authors' code that the preset does not reproduce, one sentence each (empty for
// kNone).
std::vector<std::string> AuthorsPresetDifferences(Preset preset);

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::Preset> kNames<sim::Preset> = {
    {sim::Preset::kNone, "none"}, {sim::Preset::kAuthors, "authors"}, {sim::Preset::kAuthorsFull, "authors-full"}};

}  // namespace ldaformer::theory
