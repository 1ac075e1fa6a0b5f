// `ldaformer figure5`: the paper's Figure 5 (report/layer_figure.hpp) over several encoder runs, read from
// their checkpoints, one curve per run.
#pragma once

#include <string>
#include <vector>

namespace ldaformer::app {

struct Figure5Request {
  // Each an OUT directory of `ldaformer train` with the encoder (its checkpoint.json) or a checkpoint file.
  std::vector<std::string> runs;
  std::vector<std::string> labels;  // one per run, or empty: each run's init scale, seed and optimizer
  std::string out = "figure5.png";
  std::string title = "Figure 5: norms and W^V rotation per layer";
};

// Draws the figure; returns the curves' labels. Throws std::invalid_argument naming the run when a file is
// missing or not an encoder checkpoint, or the labels do not match the runs; std::runtime_error when gnuplot
// is not on PATH.
std::vector<std::string> RunFigure5(const Figure5Request& request);

}  // namespace ldaformer::app
