// The outcome of checking one claim on one scenario: a margin, not only a verdict, and the matrices and
// curves behind it for the report.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/types.hpp"
#include "ldaformer/claims/figures.hpp"

namespace ldaformer::claims {

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

}  // namespace ldaformer::claims
