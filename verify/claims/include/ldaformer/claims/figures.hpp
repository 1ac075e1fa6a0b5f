// The matrices and curves behind a claim's result, as data: the report part (verify/report/) writes them
// as CSV and draws them; nothing here knows how.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// One named curve y(x) of a line plot.
struct Curve {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
};
struct CurvePlotOptions {
  std::string title;
  std::string x_label = "x";
  std::string y_label = "y";
  bool log_x = false;
  bool log_y = false;
};
// A matrix for the report: written as CSV and drawn as a heatmap with grid lines every block_size rows.
struct ReportMatrix {
  std::string name;  // file stem, e.g. "T2-W_V"
  std::string title;
  theory::Matrix value;
  int block_size = 0;
};

// A report matrix with the word rows and columns (the first v) stably sorted by topic, so topics appear
// as diagonal blocks; grid lines every m words when every topic has m words.
ReportMatrix TopicOrdered(std::string name, std::string title, const theory::Matrix& X,
                          const std::vector<int>& topic_of_word);

// A labelled vertical line of a line plot, e.g. where one run of claim D reaches t_V or t_KQ.
struct Marker {
  std::string name;
  double x = 0.0;
};

// A line plot for the report.
struct ReportPlot {
  std::string name;
  CurvePlotOptions options;
  std::vector<Curve> curves;
  std::vector<Marker> markers;

  // An empty plot with logarithmic axes (times and norms along a flow span decades).
  static ReportPlot LogLog(std::string name, std::string title, std::string x_label, std::string y_label);
};

}  // namespace ldaformer::claims
