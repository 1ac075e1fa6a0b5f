// `ldaformer verify`: every claim a scenario's options ask for, as a table, JSON and a report directory.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/verify/claim_result.hpp"
#include "ldaformer/verify/verify_options.hpp"

namespace ldaformer::verify {

struct VerificationReport {
  std::string scenario;      // Scenario::Describe()
  std::string scenario_name;
  std::vector<ClaimResult> claims;
  double seconds = 0.0;

  // True when every claim expected to hold (its hypotheses met) holds: the exit status of `verify`.
  bool ExpectedClaimsHold() const;
};

VerificationReport RunVerification(const theory::Scenario& scenario, const VerifyOptions& options);

// The human-readable table: claim, hypotheses, method, margin, status.
std::string FormatTable(const VerificationReport& report);

// {"scenario": ..., "claims": [{"id", "claim", "holds", "expected", "margin", "method", ...}], ...}
nlohmann::json ToJson(const VerificationReport& report);

// Writes report.json, claims.csv, every matrix as CSV (and a topic-ordered PNG heatmap), every plot as
// PNG (with its gnuplot data and script), into `directory` (created if missing). Without gnuplot the
// PNGs are skipped and report.json says so.
void WriteReport(const VerificationReport& report, const std::string& directory);

}  // namespace ldaformer::verify
