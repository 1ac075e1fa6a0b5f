// The paper's Figure 5 for encoder runs: one column per layer; rows ||W^K||, ||W^Q||, ||W^V|| (heads
// concatenated, logarithmic axes) and the rotation of W^V, (1 - cos(W^V_t, W^V_{t-10})) / 2; one curve per
// run, so that several init scales and seeds can be compared.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/sim/encoder_trainer.hpp"

namespace ldaformer::report {

struct LayerFigureRun {
  std::string label;  // LayerFigureLabel, or the user's
  std::vector<sim::EncoderTrajectoryPoint> trajectory;
};

// "eps 0.001, seed 1, sgd lr 1", from a run's recorded options (train_report.hpp's "options" of report.json
// and of a checkpoint's meta): what tells runs of one figure apart. Fields it lacks read "?".
std::string LayerFigureLabel(const nlohmann::json& options);

// Draws the figure (gnuplot, report/plots.hpp) with as many columns as the deepest run has layers. Throws
// std::invalid_argument when there is no run or a run has no trajectory.
void WriteLayerFigurePng(const std::string& png_path, const std::vector<LayerFigureRun>& runs,
                         const std::string& title);

}  // namespace ldaformer::report
