// W^V trained on a corpus in the T2 model (one-hot embedding, uniform attention, identity decoder, MASK as
// the only special token, trainable W^V; sim::Train), measured for block structure by given word topics
// and compared with the exact corpus optimum W^V* = A (C + lambda I)^-1 (corpus_value_optimum.hpp).
//
// What is comparable: with squared loss and dynamic masking, the expected training objective of one
// document d (over its masks and its selected position) is the T2 quadratic of its own word laws
// p1_d = c_d / N_d, P2_d = (c_d c_d^T - diag c_d) / (N_d (N_d - 1)) at length N_d. The trainer weights
// documents by their selected tokens (~ N_d); CorpusSecondMoments weights them equally and pools the pair
// law over lengths. The two objectives are therefore the same when all documents have one length and
// differ slightly otherwise (Brown: cv 0.11). Static masking fixes one mask per document, a sample of the
// mask average, so its optimum differs by sampling noise; cross-entropy has no closed form at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ldaformer/assumptions/corpus_value_optimum.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::assumptions {

// The settings of `assumptions --train-wv` (flag names in the comments). Defaults: squared loss, Adam
// lr 0.001 decaying linearly to 0 (Adam at a constant lr keeps per-coordinate noise in weakly determined
// directions, docs/SIMULATION.md), dynamic masks (the exact optimum averages over masks).
struct ValueTraining {
  theory::LossKind loss = theory::LossKind::kSquared;  // --train-loss
  sim::OptimizerOptions optimizer{sim::OptimizerKind::kAdam, 0.001, sim::LearningRateSchedule::kLinear};
  int steps = 2000;                                               // --train-steps
  int batch = 40;                                                 // --train-batch, documents per step
  double relative_lambda = 0.0;                                   // --train-l2: lambda = this x tr(C)/n, 0 = none
  sim::MaskingSchedule masking = sim::MaskingSchedule::kDynamic;  // --train-masking
  // --train-init-scale: W^V starts with N(0, init_scale^2) entries. Default 0: random initial entries in
  // directions the data never excite (C's near-null space, large on a 2000-word vocabulary) decay only
  // through the penalty, by a factor (1 - 2 lr lambda) per SGD step, and would dominate W^V.
  double init_scale = 0.0;
  std::uint64_t seed = 1;  // --train-seed: init, masks, batch order

  // Throws std::invalid_argument naming the --train-* flag and the value.
  void Validate() const;
};

// How the trained W^V sits relative to the exact optimum (at the optimum's lambda).
struct OptimumComparison {
  double relative_distance = 0.0;  // ||W - W*||_F / ||W*||_F
  double cosine = 0.0;             // <W, W*>_F / (||W||_F ||W*||_F): 1 when W is W* up to scale
  // Squared loss with the optimum's lambda only (NaN otherwise, the objectives differ): the exact objective
  // J(W) = L(W) + lambda ||W||^2 of the moments at W minus at W* (>= 0), and the share of the possible
  // decrease J(0) - J(W*) that training achieved, 1 - excess / (J(0) - J(W*)).
  double excess_objective = 0.0;
  double decrease_achieved = 0.0;
};

struct TrainedValue {
  ValueTraining training;
  double lambda = 0.0;                           // the absolute L2 weight trained with
  theory::Matrix W;                              // n x n learned W^V
  claims::BlockStructure block;                  // of W by the word topics
  std::vector<sim::TrajectoryPoint> trajectory;  // minibatch loss every 10 steps
  sim::Termination termination = sim::Termination::kCompleted;
  std::string message;
  double seconds = 0.0;
  // Mean minibatch loss over the last fifth of the recorded steps, and its relative drop from the fifth
  // before (a flat curve reads ~0; minibatch noise limits what it can show).
  double final_loss = 0.0;
  double last_fifth_drop = 0.0;
  std::optional<OptimumComparison> optimum;  // when an exact optimum was given
};

// Trains W^V on `corpus` with the given masking (theory default: 0.15 / 0.1 / 0.1, keys over all positions)
// and L2 weight relative_lambda x MeanEigenvalue(moments), where `moments` = CorpusSecondMoments(corpus,
// masking); measures W^V by `word_topic` (v labels) and, when `optimum` is given, against it. Throws
// std::invalid_argument on bad settings or shapes; divergence is reported in `termination`.
TrainedValue TrainCorpusValue(const theory::Corpus& corpus, const std::vector<int>& word_topic,
                              const ValueTraining& training, const theory::SecondMoments& moments,
                              const CorpusValueOptimum* optimum = nullptr, const theory::Masking& masking = {});

}  // namespace ldaformer::assumptions
