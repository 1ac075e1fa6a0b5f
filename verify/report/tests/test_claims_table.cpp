// The verify table: 120 columns, reasons wrapped whole, hypotheses and methods once, the counts.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "hand_built_results.hpp"
#include "ldaformer/report/claims_table.hpp"

namespace ldaformer::report {
namespace {

using Catch::Contains;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int Occurrences(const std::string& text, const std::string& part) {
  int count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

claims::VerificationReport HandBuiltReport() {
  claims::VerificationReport report;
  report.scenario = "hand-built: T = 10, v = 100 (A1), Dirichlet alpha = 0.1, N uniform on 100..150";
  report.claims = OneResultOfEachStatus();
  report.seconds = 12.3;
  return report;
}

TEST_CASE("WrapText breaks at spaces, splits an over-long word and loses nothing", "[report]") {
  CHECK(WrapText("a bb ccc", 4) == std::vector<std::string>{"a bb", "ccc"});
  CHECK(WrapText("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  CHECK(WrapText("", 10) == std::vector<std::string>{""});
  // Widths count code points: "±" is two bytes but one column.
  CHECK(DisplayWidth("+0.5 ± 0.1") == 10);
  CHECK(WrapText("±±± ±", 4) == std::vector<std::string>{"±±±", "±"});
}

TEST_CASE("The table fits 120 columns and wraps a long reason onto continuation lines", "[report]") {
  const claims::VerificationReport report = HandBuiltReport();
  const std::string table = FormatTable(report);
  INFO(table);
  for (const std::string& line : Lines(table)) CHECK(DisplayWidth(line) <= kTableWidth);
  CHECK(table.find("...") == std::string::npos);

  // The unverified result's reason, read back from its row and the continuation rows (blank id column).
  const claims::ClaimResult& unverified = report.claims[3];
  REQUIRE(unverified.Status() == claims::ClaimStatus::kUnverified);
  const std::vector<std::string> lines = Lines(table);
  std::size_t row = 0;
  while (row < lines.size() && lines[row].rfind("T3 ", 0) != 0) ++row;
  REQUIRE(row < lines.size());
  const std::size_t reason_column = lines[row].find("cross-check");
  REQUIRE(reason_column != std::string::npos);
  std::string reason = lines[row].substr(reason_column);
  for (++row; row < lines.size() && lines[row].size() > reason_column && lines[row][0] == ' '; ++row) {
    reason += " " + lines[row].substr(reason_column);
  }
  CHECK(reason == unverified.ReasonText());
  CHECK(DisplayWidth(unverified.ReasonText()) > kTableWidth / 2);  // long enough to need wrapping
}

TEST_CASE("The table lists each family's hypotheses and each method once, and counts every status", "[report]") {
  const std::string table = FormatTable(HandBuiltReport());
  INFO(table);
  // T2 and T2-blurred share their hypotheses; T3 and T3-SAA share theirs.
  CHECK(Occurrences(table, "A1 topics (T = 10, v = 100)") == 1);
  CHECK(Occurrences(table, "at least two positions per document (N = 100..150)") == 1);
  CHECK(Occurrences(table, "at least two positions per document (N = 1) NOT MET") == 1);
  CHECK(Occurrences(table, "T2-blurred: closed form W*") == 1);
  CHECK_THAT(table, Contains("5 results: 1 held, 1 failed, 1 inconclusive, 1 unverified, 1 not applicable; "
                             "wall time 12.3 s\nSOME CLAIMS FAIL OR ARE UNVERIFIED"));
  CHECK_THAT(table, Contains("+0.01 ± 0.02"));
}

}  // namespace
}  // namespace ldaformer::report
