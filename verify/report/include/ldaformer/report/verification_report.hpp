// The report of `ldaformer verify`: the table, the JSON and the report directory.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ldaformer/claims/verification.hpp"

namespace ldaformer::report {

using claims::ClaimResult;
using claims::ReportMatrix;
using claims::ReportPlot;
using claims::VerificationReport;

nlohmann::json ToJson(const ClaimResult& result);

// The human-readable table: claim, hypotheses, method, margin, status.
std::string FormatTable(const VerificationReport& report);

// {"scenario": ..., "claims": [{"id", "claim", "holds", "expected", "margin", "method", ...}], ...}
nlohmann::json ToJson(const VerificationReport& report);

// Writes report.json, claims.csv, every matrix as CSV (and a topic-ordered PNG heatmap), every plot as
// PNG (with its gnuplot data and script), into `directory` (created if missing). Without gnuplot the
// PNGs are skipped and report.json says so.
void WriteReport(const VerificationReport& report, const std::string& directory);

}  // namespace ldaformer::report
