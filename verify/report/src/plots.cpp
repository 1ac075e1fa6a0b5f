#include "ldaformer/report/plots.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/theory/input_file.hpp"

namespace ldaformer::report {

namespace {

std::ofstream OpenForWriting(const std::string& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", path));
  out.precision(17);
  return out;
}

std::string Quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += (c == '\'') ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// Scripts name their files relative to their own directory, and gnuplot runs there: a report directory
// stays valid when it is renamed into place (report/staged_directory.hpp) or moved by the user.
std::string FileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// The script's first lines: a PNG terminal of the given size, the output file, the title and axis labels.
std::ofstream OpenScript(const std::string& base, const std::string& png_path, const char* size,
                         const std::string& title, const std::string& x_label, const std::string& y_label) {
  auto script = OpenForWriting(base + ".gp");
  script << "set terminal pngcairo size " << size << " font 'sans,10'\n"
         << "set output " << Quoted(FileName(png_path)) << "\n"
         << "set title " << Quoted(title) << " noenhanced\n"
         << "set xlabel " << Quoted(x_label) << " noenhanced\n"
         << "set ylabel " << Quoted(y_label) << " noenhanced\n";
  return script;
}

std::string WithoutExtension(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path;
  return path.substr(0, dot);
}

extern "C" char** environ;

// Runs `gnuplot ARG` found on PATH, without a shell (no quoting of file names to get wrong), with stdout
// and stderr sent to /dev/null when `quiet`; returns the exit status, or -1 when it could not be started or
// was killed by a signal.
int SpawnGnuplot(const std::string& argument, bool quiet) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  const std::filesystem::path script(argument);
  if (script.has_parent_path()) posix_spawn_file_actions_addchdir_np(&actions, script.parent_path().c_str());
  std::string program = "gnuplot";
  std::string arg = script.filename().string();
  char* argv[] = {program.data(), arg.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void RunGnuplot(const std::string& script_path) {
  // gnuplot's own messages go to stderr, where the user sees why a plot failed.
  const int status = SpawnGnuplot(script_path, /*quiet=*/false);
  if (status != 0) {
    throw std::runtime_error(status < 0 ? fmt::format("gnuplot could not be run on '{}'", script_path)
                                        : fmt::format("gnuplot failed on '{}' (exit status {})", script_path, status));
  }
}

// A logarithmic axis has no place for 0 or negative values: such points are left out, not clamped.
bool Drawable(double x, double y, bool log_x, bool log_y) {
  return std::isfinite(x) && std::isfinite(y) && (!log_x || x > 0) && (!log_y || y > 0);
}

// The drawable points of `curve` as one gnuplot data block ended by two blank lines (blocks are addressed
// with `index`), written only when there is one: gnuplot does not count a block without points. Returns how
// many points it has.
std::size_t WriteCurveBlock(std::ofstream& data, const Curve& curve, bool log_x, bool log_y) {
  if (curve.x.size() != curve.y.size()) {
    throw std::invalid_argument(
        fmt::format("curve '{}': {} x values but {} y values", curve.name, curve.x.size(), curve.y.size()));
  }
  std::ostringstream block;
  block.precision(17);
  std::size_t points = 0;
  for (size_t k = 0; k < curve.x.size(); ++k) {
    if (!Drawable(curve.x[k], curve.y[k], log_x, log_y)) continue;
    block << curve.x[k] << " " << curve.y[k] << "\n";
    ++points;
  }
  if (points > 0) data << "# " << curve.name << "\n" << block.str() << "\n\n";
  return points;
}

}  // namespace

void WriteMatrixCsv(const std::string& path, const theory::Matrix& matrix) {
  std::ostringstream out;
  out.precision(17);
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    for (Eigen::Index j = 0; j < matrix.cols(); ++j) out << (j ? "," : "") << matrix(i, j);
    out << "\n";
  }
  WriteFileAtomically(path, out.str());
}

theory::Matrix ReadMatrixCsv(const std::string& path) {
  theory::RequireInputFile(path, "matrix CSV");
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) {
      std::size_t used = 0;
      double value = 0.0;
      try {
        value = std::stod(field, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || field.find_first_not_of(" \t\r", used) != std::string::npos) {
        throw std::invalid_argument(fmt::format("{} line {}: '{}' is not a number", path, line_number, field));
      }
      row.push_back(value);
    }
    if (!rows.empty() && row.size() != rows.front().size()) {
      throw std::invalid_argument(fmt::format("{} line {}: {} fields, but the first row has {}", path, line_number,
                                              row.size(), rows.front().size()));
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw std::invalid_argument(fmt::format("{}: no rows", path));
  theory::Matrix matrix(rows.size(), rows.front().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < rows[i].size(); ++j) matrix(i, j) = rows[i][j];
  }
  return matrix;
}

bool GnuplotAvailable() { return SpawnGnuplot("--version", /*quiet=*/true) == 0; }

void WriteHeatmapPng(const std::string& png_path, const theory::Matrix& matrix, const HeatmapOptions& options) {
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = options.csv.empty() ? base + ".dat" : options.csv;
  if (options.csv.empty()) {
    auto data = OpenForWriting(data_path);
    for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
      for (Eigen::Index j = 0; j < matrix.cols(); ++j) data << (j ? " " : "") << matrix(i, j);
      data << "\n";
    }
  }
  const double scale = std::max(matrix.cwiseAbs().maxCoeff(), 1e-300);
  auto script = OpenScript(base, png_path, "820,720", options.title, options.x_label, options.y_label);
  if (!options.csv.empty()) script << "set datafile separator ','\n";
  script << "set size ratio -1\n"
         << fmt::format("set xrange [-0.5:{}]\nset yrange [{}:-0.5]\n", matrix.cols() - 0.5, matrix.rows() - 0.5);
  if (options.symmetric_palette) {
    script << "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n"
           << fmt::format("set cbrange [{}:{}]\n", -scale, scale);
  } else {
    script << "set palette rgbformulae 33,13,10\n";
  }
  if (options.block_size > 0) {
    for (Eigen::Index k = options.block_size; k < matrix.cols(); k += options.block_size) {
      script << fmt::format("set arrow from {0},-0.5 to {0},{1} nohead front lc rgb '#404040' lw 0.5\n", k - 0.5,
                            matrix.rows() - 0.5);
    }
    for (Eigen::Index k = options.block_size; k < matrix.rows(); k += options.block_size) {
      script << fmt::format("set arrow from -0.5,{0} to {1},{0} nohead front lc rgb '#404040' lw 0.5\n", k - 0.5,
                            matrix.cols() - 0.5);
    }
  }
  script << "plot " << Quoted(FileName(data_path)) << " matrix with image notitle\n";
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteCurvesPng(const std::string& png_path, const std::vector<Curve>& curves, const CurvePlotOptions& options,
                    const std::vector<Marker>& markers) {
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  std::vector<std::size_t> points;
  {
    auto data = OpenForWriting(data_path);
    for (const Curve& curve : curves) points.push_back(WriteCurveBlock(data, curve, options.log_x, options.log_y));
  }
  const auto drawable = [&](double x, double y) { return Drawable(x, y, options.log_x, options.log_y); };
  auto script = OpenScript(base, png_path, "900,560", options.title, options.x_label, options.y_label);
  script << "set key outside right noenhanced\nset grid\n";
  if (options.log_x) script << "set logscale x\n";
  if (options.log_y) script << "set logscale y\n";
  // Markers often fall close together (one per run): their labels are stacked down from the top.
  for (size_t k = 0; k < markers.size(); ++k) {
    if (!drawable(markers[k].x, 1.0)) continue;
    script << fmt::format(
        "set arrow from {0:.17g}, graph 0 to {0:.17g}, graph 1 nohead dashtype 2 lc rgb '#606060'\n"
        "set label {1} at {0:.17g}, graph {2:.3f} left offset 0.5,0 front noenhanced font ',8'\n",
        markers[k].x, Quoted(markers[k].name), 0.97 - 0.045 * static_cast<double>(k % 12));
  }
  // Curves without a drawable point have no block and are left out (gnuplot refuses a plot of nothing).
  std::string plots;
  for (size_t c = 0, block = 0; c < curves.size(); ++c) {
    if (points[c] == 0) continue;
    plots += fmt::format("{}{} index {} with lines lw 2 title {}", plots.empty() ? "" : ", ",
                         Quoted(FileName(data_path)), block++, Quoted(curves[c].name));
  }
  script << (plots.empty() ? "plot [0:1] [0:1] NaN notitle\n" : "plot " + plots + "\n");
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteCurvePanelsPng(const std::string& png_path, const std::vector<CurvePanel>& panels,
                         const PanelPlotOptions& options) {
  if (options.rows < 1 || options.columns < 1 || panels.size() > std::size_t(options.rows) * options.columns) {
    throw std::invalid_argument(
        fmt::format("{} panels do not fit a grid of {} x {}", panels.size(), options.rows, options.columns));
  }
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  // points[p][c]: the drawable points of curve c of panel p (gnuplot fails on a plot with none at all).
  std::vector<std::vector<std::size_t>> points;
  {
    auto data = OpenForWriting(data_path);
    for (const CurvePanel& panel : panels) {
      points.emplace_back();
      for (const Curve& curve : panel.curves) points.back().push_back(WriteCurveBlock(data, curve, false, panel.log_y));
    }
  }
  const std::string size = fmt::format("{},{}", 60 + 330 * options.columns, 60 + 250 * options.rows);
  auto script = OpenScript(base, png_path, size.c_str(), "", options.x_label, "");
  // Narrow panels: slanted step labels do not run into each other, and %g keeps log-axis labels short.
  script << fmt::format(
      "unset title\nset grid\nset xtics rotate by 30 right font ',8'\nset format y '%g'\n"
      "set multiplot layout {},{} title {} noenhanced\n",
      options.rows, options.columns, Quoted(options.title));
  // The key once, in the first panel that draws the most curves.
  std::size_t key_panel = 0, most = 0;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const auto drawn = static_cast<std::size_t>(
        std::count_if(points[p].begin(), points[p].end(), [](std::size_t n) { return n > 0; }));
    if (drawn > most) std::tie(key_panel, most) = std::pair(p, drawn);
  }
  std::size_t block = 0;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const CurvePanel& panel = panels[p];
    script << "set title " << Quoted(panel.title) << " noenhanced\n"
           << "set ylabel " << Quoted(panel.y_label) << " noenhanced\n"
           << (panel.log_y ? "set logscale y\n" : "unset logscale y\n");
    std::string plots;
    for (std::size_t c = 0; c < panel.curves.size(); ++c) {
      if (points[p][c] == 0) continue;
      plots += fmt::format("{}{} index {} with lines lw 1.5 lc {} title {}", plots.empty() ? "" : ", ",
                           Quoted(FileName(data_path)), block++, c + 1, Quoted(panel.curves[c].name));
    }
    script << (p == key_panel ? "set key top right font ',8' noenhanced\n" : "unset key\n");
    // A panel without a drawable point stays empty, with its title: gnuplot refuses to plot nothing.
    script << (plots.empty() ? "unset logscale y\nset label 1 'no data' at graph 0.5, graph 0.5 center\n"
                               "plot [0:1] [0:1] NaN notitle\nunset label 1\n"
                             : "plot " + plots + "\n");
  }
  script << "unset multiplot\n";
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteMarginCurvesPng(const std::string& png_path, const std::vector<MarginCurve>& curves,
                          const MarginPlotOptions& options) {
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  {
    auto data = OpenForWriting(data_path);
    for (const MarginCurve& curve : curves) {
      data << "# " << curve.name << "\n";
      for (size_t k = 0; k < curve.x.size(); ++k) {
        if (!std::isfinite(curve.x[k]) || !std::isfinite(curve.y[k]) || (options.log_x && curve.x[k] <= 0)) continue;
        const double error = k < curve.error.size() && std::isfinite(curve.error[k]) ? curve.error[k] : 0.0;
        data << curve.x[k] << " " << curve.y[k] << " " << error << "\n";
      }
      data << "\n\n";
    }
  }
  auto script = OpenScript(base, png_path, "900,560", options.title, options.x_label, options.y_label);
  script << "set key outside right noenhanced\nset grid\n"
         << "set arrow from graph 0, first 0 to graph 1, first 0 nohead lw 1.5 lc rgb '#000000' front\n";
  if (options.log_x) script << "set logscale x\n";
  if (!options.x_tick_labels.empty()) {
    script << "set xtics (";
    for (size_t k = 0; k < options.x_tick_labels.size(); ++k) {
      script << (k ? ", " : "") << Quoted(options.x_tick_labels[k]) << " " << k;
    }
    script << ") noenhanced\n"
           << fmt::format("set xrange [-0.5:{}]\n", static_cast<double>(options.x_tick_labels.size()) - 0.5);
  }
  script << "plot ";
  for (size_t c = 0; c < curves.size(); ++c) {
    script << (c ? ", " : "") << Quoted(FileName(data_path)) << " index " << c
           << " using 1:2:3 with yerrorlines lw 2 pt 7 ps 0.6 title " << Quoted(curves[c].name);
  }
  script << "\n";
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteGridMapPng(const std::string& png_path, const std::vector<std::string>& x_labels,
                     const std::vector<std::string>& y_labels, const theory::Matrix& z, const GridMapOptions& options) {
  if (z.rows() != static_cast<Eigen::Index>(y_labels.size()) ||
      z.cols() != static_cast<Eigen::Index>(x_labels.size())) {
    throw std::invalid_argument(fmt::format("grid map '{}': {} x {} values for {} x {} labels", options.title, z.rows(),
                                            z.cols(), y_labels.size(), x_labels.size()));
  }
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  {
    // Rows of the grid as gnuplot scan lines (blank line between rows), in cell coordinates (j, i).
    auto data = OpenForWriting(data_path);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      for (Eigen::Index j = 0; j < z.cols(); ++j) {
        data << j << " " << i << " ";
        if (std::isfinite(z(i, j))) {
          data << z(i, j) << "\n";
        } else {
          data << "NaN\n";
        }
      }
      data << "\n";
    }
  }
  double extent = 0.0;
  for (Eigen::Index k = 0; k < z.size(); ++k) {
    if (std::isfinite(z.data()[k])) extent = std::max(extent, std::abs(z.data()[k]));
  }
  if (extent == 0.0) extent = 1.0;
  auto tics = [](const std::vector<std::string>& labels) {
    std::string out = "(";
    // At most ~12 labels on an axis: every k-th value.
    const size_t every = std::max<size_t>(1, (labels.size() + 11) / 12);
    for (size_t k = 0; k < labels.size(); k += every)
      out += (k ? ", " : "") + Quoted(labels[k]) + " " + std::to_string(k);
    return out + ")";
  };
  auto script = OpenScript(base, png_path, "900,700", options.title, options.x_label, options.y_label);
  const std::string contour_path = base + "-zero.dat";
  script << "set xtics " << tics(x_labels) << " rotate by -45\n"
         << "set ytics " << tics(y_labels) << "\n"
         << "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\n"
         << fmt::format("set cbrange [{:.17g}:{:.17g}]\nset cblabel 'margin'\n", -extent, extent)
         << fmt::format("set xrange [-0.5:{}]\nset yrange [-0.5:{}]\n", static_cast<double>(z.cols()) - 0.5,
                        static_cast<double>(z.rows()) - 0.5)
         // The zero level as a table of line segments, drawn over the cells.
         << "set contour base\nset cntrparam levels discrete 0\nunset surface\nset view map\n"
         << "set table " << Quoted(FileName(contour_path)) << "\nsplot " << Quoted(FileName(data_path))
         << " using 1:2:3 with lines\n"
         << "unset table\nunset contour\n"
         << "plot " << Quoted(FileName(data_path)) << " using 1:2:3 with image notitle, "
         << Quoted(FileName(contour_path)) << " using 1:2 with lines lw 2.5 lc rgb '#000000' title 'margin = 0'\n";
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteHistogramPng(const std::string& png_path, const std::vector<double>& values,
                       const HistogramOptions& options) {
  if (!(options.bin_width > 0.0)) {
    throw std::invalid_argument(fmt::format("histogram: bin_width must be > 0, got {}", options.bin_width));
  }
  std::map<long, long> bins;
  for (const double value : values) {
    if (std::isfinite(value)) ++bins[std::lround(value / options.bin_width)];
  }
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  {
    auto data = OpenForWriting(data_path);
    for (const auto& [bin, count] : bins) data << bin * options.bin_width << " " << count << "\n";
  }
  auto script = OpenScript(base, png_path, "900,560", options.title, options.x_label, options.y_label);
  script << "set grid ytics\nset yrange [0:*]\nset offsets graph 0.02, graph 0.02, graph 0.08, 0\n"
         << "set style fill solid 0.6 border -1\n"
         << "set boxwidth " << 0.9 * options.bin_width << "\n"
         << "plot " << Quoted(FileName(data_path)) << " using 1:2 with boxes notitle\n";
  script.close();
  RunGnuplot(base + ".gp");
}

}  // namespace ldaformer::report
