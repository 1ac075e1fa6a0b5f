#include "ldaformer/verify/plots.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::verify {

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

std::string WithoutExtension(const std::string& path) {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path;
  return path.substr(0, dot);
}

void RunGnuplot(const std::string& script_path) {
  const std::string command = fmt::format("gnuplot {} 2>&1", Quoted(script_path));
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error(fmt::format("gnuplot failed on '{}'", script_path));
  }
}

}  // namespace

void WriteMatrixCsv(const std::string& path, const theory::Matrix& matrix) {
  auto out = OpenForWriting(path);
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
    for (Eigen::Index j = 0; j < matrix.cols(); ++j) out << (j ? "," : "") << matrix(i, j);
    out << "\n";
  }
}

bool GnuplotAvailable() { return std::system("gnuplot --version > /dev/null 2>&1") == 0; }

void WriteHeatmapPng(const std::string& png_path, const theory::Matrix& matrix, const HeatmapOptions& options) {
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  {
    auto data = OpenForWriting(data_path);
    for (Eigen::Index i = 0; i < matrix.rows(); ++i) {
      for (Eigen::Index j = 0; j < matrix.cols(); ++j) data << (j ? " " : "") << matrix(i, j);
      data << "\n";
    }
  }
  const double scale = std::max(matrix.cwiseAbs().maxCoeff(), 1e-300);
  auto script = OpenForWriting(base + ".gp");
  script << "set terminal pngcairo size 820,720 font 'sans,10'\n"
         << "set output " << Quoted(png_path) << "\n"
         << "set title " << Quoted(options.title) << " noenhanced\n"
         << "set xlabel " << Quoted(options.x_label) << " noenhanced\n"
         << "set ylabel " << Quoted(options.y_label) << " noenhanced\n"
         << "set size ratio -1\n"
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
  script << "plot " << Quoted(data_path) << " matrix with image notitle\n";
  script.close();
  RunGnuplot(base + ".gp");
}

void WriteCurvesPng(const std::string& png_path, const std::vector<Curve>& curves, const CurvePlotOptions& options) {
  const std::string base = WithoutExtension(png_path);
  const std::string data_path = base + ".dat";
  {
    // One gnuplot data block per curve, separated by two blank lines (addressed with `index`).
    auto data = OpenForWriting(data_path);
    for (const Curve& curve : curves) {
      if (curve.x.size() != curve.y.size()) {
        throw std::invalid_argument(fmt::format("curve '{}': {} x values but {} y values", curve.name,
                                                curve.x.size(), curve.y.size()));
      }
      data << "# " << curve.name << "\n";
      for (size_t k = 0; k < curve.x.size(); ++k) data << curve.x[k] << " " << curve.y[k] << "\n";
      data << "\n\n";
    }
  }
  auto script = OpenForWriting(base + ".gp");
  script << "set terminal pngcairo size 900,560 font 'sans,10'\n"
         << "set output " << Quoted(png_path) << "\n"
         << "set title " << Quoted(options.title) << " noenhanced\n"
         << "set xlabel " << Quoted(options.x_label) << " noenhanced\n"
         << "set ylabel " << Quoted(options.y_label) << " noenhanced\n"
         << "set key outside right noenhanced\nset grid\n";
  if (options.log_x) script << "set logscale x\n";
  if (options.log_y) script << "set logscale y\n";
  script << "plot ";
  for (size_t c = 0; c < curves.size(); ++c) {
    script << (c ? ", " : "") << Quoted(data_path) << " index " << c << " with lines lw 2 title "
           << Quoted(curves[c].name);
  }
  script << "\n";
  script.close();
  RunGnuplot(base + ".gp");
}

}  // namespace ldaformer::verify
