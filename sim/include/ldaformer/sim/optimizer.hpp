// First-order optimizers for the model's matrices: SGD and Adam, with a constant or linearly decaying
// learning rate.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

enum class OptimizerKind { kSgd, kAdam };

enum class LearningRateSchedule {
  kConstant,  // lr_t = lr
  kLinear,    // lr_t = lr (1 - t / steps): decays to 0 at the last step, so iterates settle
};

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::kAdam;
  double lr = 0.01;
  LearningRateSchedule schedule = LearningRateSchedule::kConstant;
  // Over the first `warmup` steps the rate grows linearly, lr_t times (t + 1) / warmup, then follows the
  // schedule: a rate the early, large gradients would diverge at becomes usable for the slow later ones.
  int warmup = 0;
  // Adam (Kingma & Ba 2015, with bias correction):
  //   m = beta1 m + (1 - beta1) g,  s = beta2 s + (1 - beta2) g^2,
  //   X -= lr_t (m / (1 - beta1^t)) / (sqrt(s / (1 - beta2^t)) + epsilon)
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;

  // Throws std::invalid_argument naming the field and the value unless lr > 0, warmup >= 0,
  // 0 <= beta1, beta2 < 1 and epsilon > 0 (all finite).
  void Validate() const;
};

// What an optimizer carries from one step to the next: the steps taken t (the schedule's and Adam's bias
// correction's clock) and Adam's moments m and s, one per matrix in list order (empty for SGD, and for
// Adam before its first step). Restoring it continues a run exactly (checkpoint.hpp).
struct OptimizerState {
  int t = 0;
  std::vector<theory::Matrix> first, second;
};

// Updates a fixed list of matrices in place. SGD: X -= lr_t g. Adam: as in OptimizerOptions.
class Optimizer {
 public:
  // `state` is the state of an earlier run to continue (its moments must match the gradients' shapes).
  Optimizer(const OptimizerOptions& options, int total_steps, OptimizerState state = {});

  // One step on every matrix in `params` with the matching gradient in `gradients`.
  void Step(const std::vector<theory::Matrix*>& params, const std::vector<const theory::Matrix*>& gradients);

  // The learning rate of the next step.
  double CurrentLearningRate() const;
  int steps_taken() const { return state_.t; }
  const OptimizerState& state() const { return state_; }

 private:
  OptimizerOptions options_;
  int total_steps_;
  OptimizerState state_;
};

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::OptimizerKind> kNames<sim::OptimizerKind> = {{sim::OptimizerKind::kSgd, "sgd"},
                                                                         {sim::OptimizerKind::kAdam, "adam"}};
template <>
inline const NameTable<sim::LearningRateSchedule> kNames<sim::LearningRateSchedule> = {
    {sim::LearningRateSchedule::kConstant, "constant"}, {sim::LearningRateSchedule::kLinear, "linear"}};

}  // namespace ldaformer::theory
