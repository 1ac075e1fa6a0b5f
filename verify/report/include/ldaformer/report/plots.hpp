// Report files: CSV matrices and PNG plots drawn by gnuplot (a real plotting program, run as a child
// process on a data file and a script that are left beside the PNG so a user can restyle the plot).
#pragma once

#include <string>
#include <vector>

#include "ldaformer/claims/figures.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::report {

using claims::Curve;
using claims::CurvePlotOptions;
using claims::Marker;

// Writes `matrix` as comma-separated values, full precision, one row per line (replaced whole).
void WriteMatrixCsv(const std::string& path, const theory::Matrix& matrix);
// Reads what WriteMatrixCsv writes. Throws std::invalid_argument naming the file, line and field of a
// non-number, or rows of different lengths.
theory::Matrix ReadMatrixCsv(const std::string& path);

// A heatmap of `matrix` (row 0 at the top). `block_size` > 0 draws grid lines every block_size rows and
// columns, which outlines the topics when words are ordered by topic.
struct HeatmapOptions {
  std::string title;
  std::string x_label = "column";
  std::string y_label = "row";
  int block_size = 0;
  bool symmetric_palette = true;  // blue-white-red centred on 0
  // The CSV of this very matrix (WriteMatrixCsv) in the PNG's directory: gnuplot reads it instead of a .dat
  // copy, which for a large vocabulary would double the report's size.
  std::string csv;
};
void WriteHeatmapPng(const std::string& png_path, const theory::Matrix& matrix, const HeatmapOptions& options);

// Line plots of `curves` (points a logarithmic axis cannot show are left out), with a dashed vertical line
// at each marker.
void WriteCurvesPng(const std::string& png_path, const std::vector<Curve>& curves, const CurvePlotOptions& options,
                    const std::vector<Marker>& markers = {});

// A grid of line plots, options.rows x options.columns panels filled row by row, each with its own title and
// y axis; curve c has the same colour in every panel (one run per colour), with the key in the first panel.
struct CurvePanel {
  std::string title;
  std::string y_label;
  bool log_y = false;
  std::vector<Curve> curves;
};
struct PanelPlotOptions {
  std::string title;
  std::string x_label = "x";
  int rows = 1, columns = 1;
};
void WriteCurvePanelsPng(const std::string& png_path, const std::vector<CurvePanel>& panels,
                         const PanelPlotOptions& options);

// A histogram of `values`: bars of width bin_width centred on the multiples of bin_width (integer data
// with bin_width 1 gets one bar per value).
struct HistogramOptions {
  std::string title;
  std::string x_label = "value";
  std::string y_label = "count";
  double bin_width = 1.0;
};
void WriteHistogramPng(const std::string& png_path, const std::vector<double>& values, const HistogramOptions& options);

// A sweep's margins against a varied value: each curve with error bars of one standard error where it has
// them (an empty or NaN error draws none), and the zero line that separates holds from fails.
struct MarginCurve {
  std::string name;
  std::vector<double> x, y, error;
};
struct MarginPlotOptions {
  std::string title;
  std::string x_label = "value";
  std::string y_label = "margin";
  bool log_x = false;
  std::vector<std::string> x_tick_labels;  // when set: x is the position 0, 1, ... of these values
};
void WriteMarginCurvesPng(const std::string& png_path, const std::vector<MarginCurve>& curves,
                          const MarginPlotOptions& options);

// A map of z(i, j) over a grid whose columns are labelled x_labels and rows y_labels (values as given, in
// grid order), with the level z = 0 drawn as a black contour: for margins, the holds/fails boundary.
// NaN cells are left blank.
struct GridMapOptions {
  std::string title;
  std::string x_label = "x";
  std::string y_label = "y";
};
void WriteGridMapPng(const std::string& png_path, const std::vector<std::string>& x_labels,
                     const std::vector<std::string>& y_labels, const theory::Matrix& z, const GridMapOptions& options);

// True when a gnuplot executable on PATH runs (`gnuplot --version`, started without a shell); the report
// otherwise skips PNGs and says so instead of failing. A gnuplot that fails on a script throws, naming it.
bool GnuplotAvailable();

}  // namespace ldaformer::report
