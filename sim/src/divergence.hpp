// Divergence of a training run: the check both trainers (trainer.cpp, encoder_trainer.cpp) make after each
// evaluation, and the message they report.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

// Whether the objective or an entry of a gradient is not finite. A sum is finite only when every entry is (or
// it overflows, which is divergence too): one vectorised pass per matrix, where allFinite compares entry by entry.
inline bool Diverged(double objective, const std::vector<const theory::Matrix*>& gradients) {
  if (!std::isfinite(objective)) return true;
  for (const theory::Matrix* g : gradients)
    if (!std::isfinite(g->sum())) return true;
  return false;
}

inline std::string DivergenceMessage(int step, double objective, double learning_rate) {
  return fmt::format("objective or gradient not finite at step {} (objective {}); lower the learning rate (now {})",
                     step, objective, learning_rate);
}

}  // namespace ldaformer::sim
