#include "ldaformer/sim/optimizer.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::sim {

void OptimizerOptions::Validate() const {
  if (!std::isfinite(lr) || lr <= 0.0) {
    throw std::invalid_argument(fmt::format("training.lr must be finite and > 0, got {}", lr));
  }
  if (!(beta1 >= 0.0 && beta1 < 1.0)) {
    throw std::invalid_argument(fmt::format("training.beta1 must be in [0, 1), got {}", beta1));
  }
  if (!(beta2 >= 0.0 && beta2 < 1.0)) {
    throw std::invalid_argument(fmt::format("training.beta2 must be in [0, 1), got {}", beta2));
  }
  if (!std::isfinite(epsilon) || epsilon <= 0.0) {
    throw std::invalid_argument(fmt::format("training.adam_epsilon must be finite and > 0, got {}", epsilon));
  }
}

Optimizer::Optimizer(const OptimizerOptions& options, int total_steps)
    : options_(options), total_steps_(total_steps) {
  options_.Validate();
}

double Optimizer::CurrentLearningRate() const {
  if (options_.schedule == LearningRateSchedule::kConstant || total_steps_ <= 0) return options_.lr;
  return options_.lr * std::max(0.0, 1.0 - double(t_) / double(total_steps_));
}

void Optimizer::Step(const std::vector<theory::Matrix*>& params, const std::vector<const theory::Matrix*>& gradients) {
  const double lr = CurrentLearningRate();
  ++t_;
  if (options_.kind == OptimizerKind::kSgd) {
    for (std::size_t k = 0; k < params.size(); ++k) *params[k] -= lr * *gradients[k];
    return;
  }
  if (first_.empty()) {
    for (const theory::Matrix* g : gradients) {
      first_.push_back(theory::Matrix::Zero(g->rows(), g->cols()));
      second_.push_back(theory::Matrix::Zero(g->rows(), g->cols()));
    }
  }
  const double b1 = options_.beta1;
  const double b2 = options_.beta2;
  const double correction1 = 1.0 - std::pow(b1, t_);
  const double correction2 = 1.0 - std::pow(b2, t_);
  for (std::size_t k = 0; k < params.size(); ++k) {
    const auto g = gradients[k]->array();
    first_[k] = b1 * first_[k].array() + (1.0 - b1) * g;
    second_[k] = b2 * second_[k].array() + (1.0 - b2) * g.square();
    params[k]->array() -= lr * (first_[k].array() / correction1) /
                          ((second_[k].array() / correction2).sqrt() + options_.epsilon);
  }
}

std::string ToString(OptimizerKind kind) { return kind == OptimizerKind::kSgd ? "sgd" : "adam"; }

std::string ToString(LearningRateSchedule schedule) {
  return schedule == LearningRateSchedule::kConstant ? "constant" : "linear";
}

}  // namespace ldaformer::sim
