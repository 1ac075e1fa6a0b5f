#include "ldaformer/sim/authors_preset.hpp"

namespace ldaformer::sim {

theory::Scenario AuthorsScenario(theory::Scenario base) {
  base.masking.p_m = 0.15;
  base.masking.p_c = 0.1;
  base.masking.p_r = 0.1;
  base.masking.keys = theory::KeySet::kUnselectedOnly;
  base.masking.replacement = theory::ReplacementAlphabet::kAllTokens;
  base.num_special = 4;
  base.Validate();
  return base;
}

TrainingOptions PresetTrainingOptions(Preset preset) {
  TrainingOptions o;
  if (preset == Preset::kNone) return o;
  const bool full = preset == Preset::kAuthorsFull;
  o.model.embedding = full ? EmbeddingMode::kTrainable : EmbeddingMode::kOneHot;
  o.model.attention = full ? AttentionMode::kTrainable : AttentionMode::kUniform;
  o.model.value = ValueMode::kTrainable;
  o.model.decoder = theory::Decoder::kIdentity;
  o.model.loss = theory::LossKind::kCrossEntropy;
  o.optimizer.kind = OptimizerKind::kAdam;
  o.optimizer.lr = 0.01;
  o.batch = 40;
  o.steps = 20 * 10000 / 40;
  o.masking = MaskingSchedule::kStatic;
  return o;
}

std::vector<std::string> AuthorsPresetDifferences(Preset preset) {
  if (preset == Preset::kNone) return {};
  std::vector<std::string> differences = {
      "no trainable vector added to every input and no LayerNorm before attention (the model of docs/MODEL.md has "
      "neither)",
      "every trained matrix starts at N(0, init_scale^2); theirs use PyTorch defaults (W^V uniform, not near zero)",
      "a fixed number of steps; theirs stop early on dev loss within at most 20 epochs",
      "no L2 penalty; their L2 term adds no gradient, so the effect is the same",
      "the frozen block W^V switch builds the same-topic block matrix; theirs builds a rank-one matrix",
      "attention statistics bucket pairs by word topic; theirs look topics up by token id (off by the 4 specials)",
  };
  if (preset == Preset::kAuthorsFull) {
    differences.insert(differences.begin(),
                       "E, W^K, W^Q and W^V all trained; their committed configuration trains "
                       "W^V only (the preset `authors`)");
  }
  return differences;
}

}  // namespace ldaformer::sim
