#include "ldaformer/report/verification_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ldaformer/report/plots.hpp"

namespace ldaformer::report {

nlohmann::json ToJson(const ClaimResult& result) {
  nlohmann::json out;
  out["id"] = result.id;
  out["claim"] = result.claim;
  out["holds"] = result.holds;
  out["expected"] = result.hypotheses_met;
  out["status"] = result.Status();
  out["inconclusive"] = result.inconclusive;
  out["margin"] = std::isfinite(result.margin) ? nlohmann::json(result.margin) : nlohmann::json(nullptr);
  out["method"] = result.method;
  out["hypotheses"] = result.hypotheses;
  out["details"] = result.details;
  return out;
}

namespace {

std::string FormatMargin(double margin) { return std::isfinite(margin) ? fmt::format("{:+.4g}", margin) : "n/a"; }

std::string Truncate(const std::string& text, size_t width) {
  return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

}  // namespace

std::string FormatTable(const VerificationReport& report) {
  std::ostringstream out;
  out << report.scenario << "\n\n";
  out << fmt::format("{:<15} {:<11} {:<33} {:<52} {}\n", "claim", "margin", "status", "method", "hypotheses");
  for (const ClaimResult& claim : report.claims) {
    out << fmt::format("{:<15} {:<11} {:<33} {:<52} {}\n", claim.id, FormatMargin(claim.margin), claim.Status(),
                       Truncate(claim.method, 52), claim.hypotheses);
  }
  const auto count = [&](auto predicate) { return std::count_if(report.claims.begin(), report.claims.end(), predicate); };
  const auto inconclusive = count([](const ClaimResult& c) { return c.hypotheses_met && c.inconclusive; });
  out << fmt::format("\n{} of {} claims expected to hold; {}{} ({:.1f} s)\n",
                     count([](const ClaimResult& c) { return c.hypotheses_met; }), report.claims.size(),
                     report.ExpectedClaimsHold() ? "every expected claim holds" : "SOME EXPECTED CLAIMS FAIL",
                     inconclusive > 0 ? fmt::format(" or is inconclusive ({})", inconclusive) : "", report.seconds);
  return out.str();
}

nlohmann::json ToJson(const VerificationReport& report) {
  nlohmann::json out;
  out["scenario"] = report.scenario_name;
  out["description"] = report.scenario;
  out["expected_claims_hold"] = report.ExpectedClaimsHold();
  out["seconds"] = report.seconds;
  out["claims"] = nlohmann::json::array();
  for (const ClaimResult& claim : report.claims) out["claims"].push_back(ToJson(claim));
  return out;
}

void WriteReport(const VerificationReport& report, const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) throw std::runtime_error(fmt::format("--out: cannot create directory '{}': {}", directory, error.message()));
  const bool plots = GnuplotAvailable();
  nlohmann::json json = ToJson(report);
  json["files"] = nlohmann::json::array();
  if (!plots) json["plots_skipped"] = "gnuplot not found on PATH";
  for (const ClaimResult& claim : report.claims) {
    for (const ReportMatrix& matrix : claim.matrices) {
      const std::string stem = (fs::path(directory) / matrix.name).string();
      WriteMatrixCsv(stem + ".csv", matrix.value);
      json["files"].push_back(matrix.name + ".csv");
      if (plots) {
        HeatmapOptions options;
        options.title = matrix.title;
        options.x_label = "column (words ordered by topic, then special tokens)";
        options.y_label = "row";
        options.block_size = matrix.block_size;
        WriteHeatmapPng(stem + ".png", matrix.value, options);
        json["files"].push_back(matrix.name + ".png");
      }
    }
    for (const ReportPlot& plot : claim.plots) {
      if (!plots) continue;
      WriteCurvesPng((fs::path(directory) / (plot.name + ".png")).string(), plot.curves, plot.options);
      json["files"].push_back(plot.name + ".png");
    }
  }
  std::ofstream(fs::path(directory) / "report.json") << json.dump(2) << "\n";
  std::ofstream csv(fs::path(directory) / "claims.csv");
  csv << "id,claim,expected,holds,margin,status\n";
  for (const ClaimResult& claim : report.claims) {
    csv << fmt::format("{},{},{},{},{},{}\n", claim.id, claim.claim, claim.hypotheses_met, claim.holds,
                       std::isfinite(claim.margin) ? fmt::format("{:.17g}", claim.margin) : "", claim.Status());
  }
}

}  // namespace ldaformer::report
