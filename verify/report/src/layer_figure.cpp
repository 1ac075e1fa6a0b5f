#include "ldaformer/report/layer_figure.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/plots.hpp"

namespace ldaformer::report {

std::string LayerFigureLabel(const nlohmann::json& options) {
  auto field = [&](const char* name) {
    return options.is_object() && options.contains(name) ? options.at(name).dump() : std::string("?");
  };
  auto text = [&](const char* name) {
    return options.is_object() && options.contains(name) && options.at(name).is_string()
               ? options.at(name).get<std::string>()
               : std::string("?");
  };
  return fmt::format("eps {}, seed {}, {} lr {}", field("init_scale"), field("seed"), text("optimizer"), field("lr"));
}

void WriteLayerFigurePng(const std::string& png_path, const std::vector<LayerFigureRun>& runs,
                         const std::string& title) {
  if (runs.empty()) throw std::invalid_argument("figure 5: no run to draw");
  std::size_t layers = 0;
  for (const LayerFigureRun& run : runs) {
    if (run.trajectory.empty())
      throw std::invalid_argument(fmt::format("figure 5: run '{}' has no trajectory", run.label));
    layers = std::max(layers, run.trajectory.front().layers.size());
  }
  struct Row {
    const char* name;
    double sim::LayerNorms::*value;
    bool log_y;
  };
  constexpr Row kRows[] = {{"||W^K||", &sim::LayerNorms::W_K, true},
                           {"||W^Q||", &sim::LayerNorms::W_Q, true},
                           {"||W^V||", &sim::LayerNorms::W_V, true},
                           {"W^V rotation (1 - cos) / 2, lag 10", &sim::LayerNorms::V_rotation, true}};
  std::vector<CurvePanel> panels;
  for (const Row& row : kRows) {
    for (std::size_t l = 0; l < layers; ++l) {
      CurvePanel panel{fmt::format("layer {}: {}", l + 1, row.name), row.name, row.log_y, {}};
      for (const LayerFigureRun& run : runs) {
        Curve curve{run.label, {}, {}};
        for (const sim::EncoderTrajectoryPoint& p : run.trajectory) {
          if (l >= p.layers.size()) break;
          curve.x.push_back(p.step);
          curve.y.push_back(p.layers[l].*row.value);
        }
        panel.curves.push_back(std::move(curve));
      }
      panels.push_back(std::move(panel));
    }
  }
  PanelPlotOptions options;
  options.title = title;
  options.x_label = "step";
  options.rows = std::size(kRows);
  options.columns = static_cast<int>(layers);
  WriteCurvePanelsPng(png_path, panels, options);
}

}  // namespace ldaformer::report
