// Curve plots: data blocks for the curves that have drawable points only, with the script addressing
// exactly those blocks (gnuplot does not count a block without points), and the Figure 5 grid of one
// column per layer.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "ldaformer/report/layer_figure.hpp"
#include "ldaformer/report/plots.hpp"

namespace ldaformer::report {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The highest "index K" the script plots.
int HighestIndex(const std::string& script) {
  // A scan, not std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build.
  const std::string key = "index ";
  int highest = -1;
  for (auto at = script.find(key); at != std::string::npos; at = script.find(key, at + 1)) {
    const auto digits = at + key.size();
    if (digits < script.size() && std::isdigit(static_cast<unsigned char>(script[digits]))) {
      highest = std::max(highest, std::stoi(script.substr(digits)));
    }
  }
  return highest;
}

struct TemporaryDirectory {
  fs::path path = fs::temp_directory_path() / ("ldaformer-plots-test-" + std::to_string(::getpid()));
  TemporaryDirectory() { fs::create_directories(path); }
  ~TemporaryDirectory() { fs::remove_all(path); }
};

TEST_CASE("panel plots write blocks only for drawable curves, and the script addresses exactly them", "[report]") {
  if (!GnuplotAvailable()) {  // the report skips PNGs without gnuplot (scripts/bootstrap.sh installs it)
    WARN("gnuplot is not on PATH: the panel plot is not tested");
    return;
  }
  const TemporaryDirectory dir;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Panel 1: a curve with points and one without (zero and NaN on a log axis); panel 2: nothing drawable.
  std::vector<CurvePanel> panels = {{"with data", "y", true, {{"a", {0, 1, 2}, {1, 2, 4}}, {"b", {0, 1}, {0, nan}}}},
                                    {"empty", "y", true, {{"a", {0}, {-1}}}}};
  PanelPlotOptions options;
  options.rows = 1;
  options.columns = 2;
  const fs::path png = dir.path / "panels.png";
  WriteCurvePanelsPng(png.string(), panels, options);
  CHECK(fs::file_size(png) > 0);
  const std::string data = Read(dir.path / "panels.dat");
  CHECK(data.find("# a") != std::string::npos);
  CHECK(data.find("# b") == std::string::npos);  // no block for a curve without points
  const std::string script = Read(dir.path / "panels.gp");
  CHECK(HighestIndex(script) == 0);
  CHECK(script.find("'no data'") != std::string::npos);
  // Control: the same curves, all drawable, give two blocks.
  panels[0].curves[1].y = {3, 5};
  WriteCurvePanelsPng(png.string(), panels, options);
  CHECK(HighestIndex(Read(dir.path / "panels.gp")) == 1);
  panels.push_back(panels[0]);
  CHECK_THROWS_WITH(WriteCurvePanelsPng(png.string(), panels, options), Catch::Contains("3 panels do not fit"));
}

TEST_CASE("the Figure 5 plot has one column per layer of the deepest run and one curve per run", "[report]") {
  if (!GnuplotAvailable()) {
    WARN("gnuplot is not on PATH: the Figure 5 plot is not tested");
    return;
  }
  const TemporaryDirectory dir;
  auto run = [](const std::string& label, std::size_t layers, double scale) {
    LayerFigureRun r{label, {}};
    for (int step = 0; step <= 40; step += 10) {
      sim::EncoderTrajectoryPoint p;
      p.step = step;
      for (std::size_t l = 0; l < layers; ++l) {
        const double rotation = step < 10 ? std::numeric_limits<double>::quiet_NaN() : 0.5 / step;
        p.layers.push_back({scale, scale * (1 + step), scale * std::exp(step / 10.0), rotation});
      }
      r.trajectory.push_back(p);
    }
    return r;
  };
  const fs::path png = dir.path / "figure5.png";
  WriteLayerFigurePng(png.string(), {run("two layers", 2, 0.1), run("three layers", 3, 0.01)}, "test");
  const std::string script = Read(dir.path / "figure5.gp");
  CHECK(script.find("set multiplot layout 4,3") != std::string::npos);
  CHECK(script.find("layer 3: ||W^V||") != std::string::npos);
  // 4 rows x (2 + 2 + 1 curves over the 3 columns) = 20 blocks.
  CHECK(HighestIndex(script) == 19);
  CHECK(LayerFigureLabel({{"init_scale", 0.001}, {"seed", 2}, {"optimizer", "sgd"}, {"lr", 1.0}}) ==
        "eps 0.001, seed 2, sgd lr 1.0");
  CHECK(LayerFigureLabel(nlohmann::json::object()) == "eps ?, seed ?, ? lr ?");
  CHECK_THROWS_WITH(WriteLayerFigurePng(png.string(), {}, "x"), Catch::Contains("no run to draw"));
}

}  // namespace
}  // namespace ldaformer::report
