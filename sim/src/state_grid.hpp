// The check both trainers (trainer.cpp, encoder_trainer.cpp) make on a state they continue from.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/sim/trainer.hpp"

namespace ldaformer::sim {

// A state taken before step `step` holds the trajectory points of the steps k < step on the record_every
// grid; a step edited (or a trajectory cut) would make the continued run differ from an uninterrupted one.
// Throws std::invalid_argument saying which.
template <class Point>
void RequireStateOnGrid(int step, const std::vector<Point>& trajectory, const TrainingOptions& options) {
  if (step < 0 || step > options.steps) {
    throw std::invalid_argument(
        fmt::format("starting state: step must be in 0..training.steps = {}, got {}", options.steps, step));
  }
  const std::size_t expected = (static_cast<std::size_t>(step) + options.record_every - 1) / options.record_every;
  bool on_grid = trajectory.size() == expected;
  for (std::size_t i = 0; on_grid && i < expected; ++i) {
    on_grid = trajectory[i].step == static_cast<long long>(i) * options.record_every;
  }
  if (!on_grid) {
    throw std::invalid_argument(fmt::format(
        "starting state: step {} does not fit its trajectory ({} points, the last at step {}; with record_every {} "
        "a state at step {} has {})",
        step, trajectory.size(), trajectory.empty() ? -1 : trajectory.back().step, options.record_every, step,
        expected));
  }
}

}  // namespace ldaformer::sim
