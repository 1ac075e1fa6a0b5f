// The outcome of checking one claim on one scenario: a margin, not only a verdict, and the matrices and
// curves behind it for the report.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/types.hpp"
#include "ldaformer/verify/plots.hpp"

namespace ldaformer::verify {

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

// A line plot for the report.
struct ReportPlot {
  std::string name;
  CurvePlotOptions options;
  std::vector<Curve> curves;

  // An empty plot with logarithmic axes (times and norms along a flow span decades).
  static ReportPlot LogLog(std::string name, std::string title, std::string x_label, std::string y_label);
};

struct ClaimResult {
  std::string id;              // "T1-identity", "T2", "T3-infinite-N", "D", ...
  std::string claim;           // T1, T2, T3 or D
  std::string hypotheses;      // which hypotheses hold or fail, in words
  bool hypotheses_met = false; // the claim is expected to hold
  std::string method;
  double margin = 0.0;         // > 0 when the conclusion holds; NaN when it cannot be measured
  bool holds = false;
  // The data cannot tell: a sample-average estimate within its noise of "no effect". Neither holds nor
  // fails; it does not count against the exit code, and the table says so.
  bool inconclusive = false;
  nlohmann::json details;      // the numbers behind the margin and the cross-checks
  std::vector<ReportMatrix> matrices;
  std::vector<ReportPlot> plots;

  // "holds", "FAILS", "fails (outside hypotheses)", "holds (outside hypotheses)", "not applicable",
  // "inconclusive (sampling noise)"
  std::string Status() const;
  // A claim counts against the exit code only when expected to hold and it does not.
  bool Unexpected() const { return hypotheses_met && !holds && !inconclusive; }
};

nlohmann::json ToJson(const ClaimResult& result);

}  // namespace ldaformer::verify
