#include "ldaformer/report/verification_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/report/plots.hpp"
#include "ldaformer/report/scenario_json.hpp"
#include "ldaformer/report/version.hpp"
#include "report_fields.hpp"

namespace ldaformer::report {

namespace {

using nlohmann::json;

}  // namespace

json ToJson(const ClaimResult& r) {
  json hypotheses = json::array(), conditions = json::array(), cross_checks = json::array(), solves = json::array();
  for (const claims::Hypothesis& h : r.hypotheses)
    hypotheses.push_back({{"name", h.name}, {"met", h.met}, {"value", h.value}});
  for (const claims::Condition& c : r.conditions) {
    conditions.push_back(
        {{"name", c.name}, {"value", JsonNumber(c.value)}, {"limit", JsonNumber(c.limit)}, {"met", c.Met()}});
  }
  for (const claims::CrossCheck& c : r.cross_checks) {
    cross_checks.push_back({{"name", c.name},
                            {"error", JsonNumber(c.error)},
                            {"tolerance", JsonNumber(c.tolerance)},
                            {"passed", c.Passed()}});
  }
  for (const claims::SolverRun& s : r.solves) {
    solves.push_back({{"name", s.name}, {"converged", s.converged}, {"message", s.message}});
  }
  return {{"id", r.id},
          {"claim", r.claim},
          {"status", theory::NameOf(r.Status())},
          {"reason", theory::NameOf(r.Reason())},
          {"reason_text", r.ReasonText()},
          {"margin", JsonNumber(r.margin)},
          {"standard_error", JsonNumber(r.standard_error)},
          {"method", r.method},
          {"hypotheses", hypotheses},
          {"conditions", conditions},
          {"cross_checks", cross_checks},
          {"solves", solves},
          {"not_measurable", r.not_measurable},
          {"details", r.details.is_null() ? json::object() : r.details},
          {"seconds", r.seconds}};
}

json ToJson(const VerificationReport& report, const theory::Scenario& scenario, const claims::VerifyOptions& options) {
  json summary = json::object();
  for (const auto& [status, name] : theory::kNames<claims::ClaimStatus>) summary[std::string(name)] = 0;
  json results = json::array();
  for (const ClaimResult& r : report.claims) {
    summary[theory::NameOf(r.Status())] = summary[theory::NameOf(r.Status())].get<int>() + 1;
    results.push_back(ToJson(r));
  }
  return {{"program", {{"name", "ldaformer"}, {"version", ProgramVersion()}}},
          {"scenario", ToJson(scenario)},
          {"verify", ToJson(options)},
          {"seed", options.seed},
          {"expected_claims_hold", report.ExpectedClaimsHold()},
          {"summary", summary},
          {"seconds", report.seconds},
          {"claims", results}};
}

std::string ClaimsCsv(const VerificationReport& report, const theory::Scenario& scenario,
                      const claims::VerifyOptions& options) {
  std::ostringstream csv;
  csv << "# program: ldaformer " << ProgramVersion() << "\n"
      << "# scenario: " << ToJson(scenario).dump() << "\n"
      << "# verify: " << ToJson(options).dump() << "\n"
      << "# seed: " << options.seed << "\n"
      << "id,claim,status,reason,margin,standard_error,seconds\n";
  for (const ClaimResult& r : report.claims) {
    csv << CsvField(r.id) << "," << CsvField(r.claim) << "," << CsvField(theory::NameOf(r.Status())) << ","
        << CsvField(r.ReasonText()) << "," << CsvNumber(r.margin) << "," << CsvNumber(r.standard_error) << ","
        << CsvNumber(r.seconds) << "\n";
  }
  return csv.str();
}

void WriteReport(const VerificationReport& report, const theory::Scenario& scenario,
                 const claims::VerifyOptions& options, const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(directory, error);
  if (error)
    throw std::runtime_error(fmt::format("--out: cannot create directory '{}': {}", directory, error.message()));
  const bool plots = GnuplotAvailable();
  json out = ToJson(report, scenario, options);
  out["files"] = json::array();
  if (!plots) out["plots_skipped"] = "gnuplot not found on PATH";
  for (const ClaimResult& claim : report.claims) {
    for (const ReportMatrix& matrix : claim.matrices) {
      const std::string stem = (fs::path(directory) / matrix.name).string();
      WriteMatrixCsv(stem + ".csv", matrix.value);
      out["files"].push_back(matrix.name + ".csv");
      if (plots) {
        HeatmapOptions heatmap;
        heatmap.title = matrix.title;
        heatmap.x_label = "column (words ordered by topic, then special tokens)";
        heatmap.y_label = "row";
        heatmap.block_size = matrix.block_size;
        heatmap.csv = stem + ".csv";
        WriteHeatmapPng(stem + ".png", matrix.value, heatmap);
        out["files"].push_back(matrix.name + ".png");
      }
    }
    for (const ReportPlot& plot : claim.plots) {
      if (!plots) continue;
      WriteCurvesPng((fs::path(directory) / (plot.name + ".png")).string(), plot.curves, plot.options, plot.markers);
      out["files"].push_back(plot.name + ".png");
    }
  }
  WriteFileAtomically((fs::path(directory) / "report.json").string(), out.dump(2) + "\n");
  WriteFileAtomically((fs::path(directory) / "claims.csv").string(), ClaimsCsv(report, scenario, options));
}

}  // namespace ldaformer::report
