#include "ldaformer/app/figure5_command.hpp"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/layer_figure.hpp"
#include "ldaformer/report/plots.hpp"
#include "ldaformer/sim/encoder_checkpoint.hpp"

namespace ldaformer::app {

std::vector<std::string> RunFigure5(const Figure5Request& request) {
  if (request.runs.empty()) throw std::invalid_argument("figure5: give at least one run");
  if (!request.labels.empty() && request.labels.size() != request.runs.size()) {
    throw std::invalid_argument(fmt::format("--label: {} labels for {} runs (one per run, or none)",
                                            request.labels.size(), request.runs.size()));
  }
  std::vector<report::LayerFigureRun> runs;
  std::vector<std::string> labels;
  for (std::size_t k = 0; k < request.runs.size(); ++k) {
    const std::string& run = request.runs[k];
    const std::string path = std::filesystem::is_directory(run) ? run + "/checkpoint.json" : run;
    sim::EncoderCheckpoint checkpoint = sim::ReadEncoderCheckpoint(path);
    if (checkpoint.state.trajectory.empty()) {
      throw std::invalid_argument(fmt::format("{}: the checkpoint has no trajectory yet", path));
    }
    const nlohmann::json options = checkpoint.meta.value("options", nlohmann::json::object());
    labels.push_back(request.labels.empty() ? report::LayerFigureLabel(options) : request.labels[k]);
    runs.push_back({labels.back(), std::move(checkpoint.state.trajectory)});
  }
  if (!report::GnuplotAvailable()) throw std::runtime_error("figure5: gnuplot is not on PATH");
  report::WriteLayerFigurePng(request.out, runs, request.title);
  return labels;
}

}  // namespace ldaformer::app
