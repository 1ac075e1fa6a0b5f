// The scenarios the training-figure tests share.
#pragma once

#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/length_distribution.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::claims::testing {

// Figure 4's small scenario: T = 5, v = 25, N 20..30, the paper's masking with the given key set. Small
// enough that the attention gradients, which scale like 1/N, finish stage 2 in a few thousand steps.
inline theory::Scenario Figure4Scenario(theory::KeySet keys) {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = "figure-4-analogue";
  s.topics = theory::TopicModel::DisjointUniform(5, 25);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(5, 0.1);
  s.length = theory::LengthDistribution::Uniform(20, 30);
  s.masking.keys = keys;
  s.Validate();
  return s;
}

// Figure 4's training: one-hot E, W^K, W^Q and W^V trained, squared loss, plain SGD, batch 40, no progress
// bar; the learning rate, steps and scale are the caller's.
inline sim::TrainingOptions Figure4Options(double lr, int steps, double init_scale) {
  sim::TrainingOptions o;
  o.model.embedding = sim::EmbeddingMode::kOneHot;
  o.model.attention = sim::AttentionMode::kTrainable;
  o.model.value = sim::ValueMode::kTrainable;
  o.model.loss = theory::LossKind::kSquared;
  o.optimizer.kind = sim::OptimizerKind::kSgd;
  o.optimizer.lr = lr;
  o.steps = steps;
  o.batch = 40;
  o.init_scale = init_scale;
  o.progress = false;
  return o;
}

}  // namespace ldaformer::claims::testing
