#include "ldaformer/sim/optimizer.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace ldaformer::sim {

void OptimizerOptions::Validate() const {
  if (!std::isfinite(lr) || lr <= 0.0) {
    throw std::invalid_argument(fmt::format("training.lr must be finite and > 0, got {}", lr));
  }
  if (warmup < 0) throw std::invalid_argument(fmt::format("training.warmup must be >= 0, got {}", warmup));
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

Optimizer::Optimizer(const OptimizerOptions& options, int total_steps, OptimizerState state)
    : options_(options), total_steps_(total_steps), state_(std::move(state)) {
  options_.Validate();
  if (state_.t < 0) throw std::invalid_argument(fmt::format("optimizer state: t must be >= 0, got {}", state_.t));
  if (state_.first.size() != state_.second.size()) {
    throw std::invalid_argument(fmt::format("optimizer state: {} first moments but {} second moments",
                                            state_.first.size(), state_.second.size()));
  }
  if (options_.kind == OptimizerKind::kSgd && !state_.first.empty()) {
    throw std::invalid_argument("optimizer state: SGD carries no moments, but the state has Adam's");
  }
  if (options_.kind == OptimizerKind::kAdam && state_.t > 0 && state_.first.empty()) {
    throw std::invalid_argument(
        fmt::format("optimizer state: Adam after {} steps needs its moments, but the state has none", state_.t));
  }
}

double Optimizer::CurrentLearningRate() const {
  const double warmed = state_.t < options_.warmup ? double(state_.t + 1) / double(options_.warmup) : 1.0;
  if (options_.schedule == LearningRateSchedule::kConstant || total_steps_ <= 0) return warmed * options_.lr;
  return warmed * options_.lr * std::max(0.0, 1.0 - double(state_.t) / double(total_steps_));
}

void Optimizer::Step(const std::vector<theory::Matrix*>& params, const std::vector<const theory::Matrix*>& gradients) {
  const double lr = CurrentLearningRate();
  const int t = ++state_.t;
  if (options_.kind == OptimizerKind::kSgd) {
    for (std::size_t k = 0; k < params.size(); ++k) *params[k] -= lr * *gradients[k];
    return;
  }
  std::vector<theory::Matrix>& m = state_.first;
  std::vector<theory::Matrix>& s = state_.second;
  if (m.empty()) {
    for (const theory::Matrix* g : gradients) {
      m.push_back(theory::Matrix::Zero(g->rows(), g->cols()));
      s.push_back(theory::Matrix::Zero(g->rows(), g->cols()));
    }
  }
  for (std::size_t k = 0; k < gradients.size(); ++k) {
    if (k >= m.size() || m[k].rows() != gradients[k]->rows() || m[k].cols() != gradients[k]->cols() ||
        s[k].rows() != m[k].rows() || s[k].cols() != m[k].cols()) {
      throw std::invalid_argument(
          fmt::format("optimizer state: Adam's moments ({} matrices) do not fit trained "
                      "matrix {} ({}x{})",
                      m.size(), k, gradients[k]->rows(), gradients[k]->cols()));
    }
  }
  const double b1 = options_.beta1;
  const double b2 = options_.beta2;
  const double correction1 = 1.0 - std::pow(b1, t);
  const double correction2 = 1.0 - std::pow(b2, t);
  for (std::size_t k = 0; k < params.size(); ++k) {
    // Column by column, so that the three updates of a column happen while it is in the L1 cache.
    for (Eigen::Index j = 0; j < params[k]->cols(); ++j) {
      const auto g = gradients[k]->col(j).array();
      auto first = m[k].col(j).array();
      auto second = s[k].col(j).array();
      first = b1 * first + (1.0 - b1) * g;
      second = b2 * second + (1.0 - b2) * g.square();
      params[k]->col(j).array() -= lr * (first / correction1) / ((second / correction2).sqrt() + options_.epsilon);
    }
  }
}

}  // namespace ldaformer::sim
