// The files of `ldaformer verify`: the JSON of each result and of the whole report, claims.csv, and the
// report directory with every matrix and plot.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ldaformer/claims/verification.hpp"
#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::report {

using claims::ClaimResult;
using claims::ReportMatrix;
using claims::ReportPlot;
using claims::VerificationReport;

// {"id", "claim", "status", "reason", "reason_text", "margin", "standard_error", "method",
//  "hypotheses": [{"name", "met", "value"}], "conditions": [{"name", "value", "limit", "met"}],
//  "cross_checks": [{"name", "error", "tolerance", "passed"}], "solves": [{"name", "converged", "message"}],
//  "not_measurable", "details", "seconds"}; status and reason by their names, NaN as null.
nlohmann::json ToJson(const ClaimResult& result);

// {"program": {"name", "version"}, "scenario": ToJson(scenario), "verify": ToJson(options), "seed",
//  "expected_claims_hold", "summary": {status name: count}, "seconds", "claims": [ToJson(result)]}:
// the results with the inputs that reproduce them.
nlohmann::json ToJson(const VerificationReport& report, const theory::Scenario& scenario,
                      const claims::VerifyOptions& options);

// claims.csv: '#' lines with the program version, the scenario, the verify options and the seed, then the
// columns id, claim, status, reason, margin, standard_error, seconds (reason is the result's ReasonText()).
std::string ClaimsCsv(const VerificationReport& report, const theory::Scenario& scenario,
                      const claims::VerifyOptions& options);

// Writes report.json, claims.csv, every matrix as CSV (and a topic-ordered PNG heatmap), every plot as
// PNG (with its gnuplot data and script), into `directory` (created if missing). Without gnuplot the
// PNGs are skipped and report.json says so. report.json and claims.csv are replaced whole (see
// atomic_file.hpp).
void WriteReport(const VerificationReport& report, const theory::Scenario& scenario,
                 const claims::VerifyOptions& options, const std::string& directory);

}  // namespace ldaformer::report
