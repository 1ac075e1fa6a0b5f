#include "ldaformer/report/claims_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

namespace ldaformer::report {

using claims::ClaimResult;
using claims::ClaimStatus;

namespace {

// Column widths; the reason column takes what is left of kTableWidth.
constexpr int kIdWidth = 15;
constexpr int kMarginWidth = 21;  // "+1.234e-05 ± 1.23e-06"
constexpr int kStatusWidth = 14;  // "not applicable"
constexpr int kReasonWidth = kTableWidth - kIdWidth - kMarginWidth - kStatusWidth - 3;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string PadRight(const std::string& text, int width) {
  return text + std::string(std::max(0, width - DisplayWidth(text)), ' ');
}

std::string FormatMargin(const ClaimResult& r) {
  if (std::isnan(r.margin)) return "n/a";
  if (std::isnan(r.standard_error)) return fmt::format("{:+.4g}", r.margin);
  return fmt::format("{:+.4g} ± {:.3g}", r.margin, r.standard_error);
}

// Lines of `text` wrapped to the table width after `indent` spaces.
void WriteWrapped(std::ostringstream& out, const std::string& indent, const std::string& text) {
  for (const std::string& line : WrapText(text, kTableWidth - static_cast<int>(indent.size()))) {
    out << indent << line << "\n";
  }
}

}  // namespace

int DisplayWidth(const std::string& text) {
  int width = 0;
  for (const char c : text) width += IsContinuationByte(c) ? 0 : 1;
  return width;
}

std::vector<std::string> WrapText(const std::string& text, int width) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    // A word wider than a line is split at code point boundaries.
    while (DisplayWidth(word) > width) {
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      std::size_t cut = 0;
      for (int taken = 0; cut < word.size(); ++cut) {
        if (!IsContinuationByte(word[cut]) && ++taken > width) break;
      }
      lines.push_back(word.substr(0, cut));
      word = word.substr(cut);
    }
    if (word.empty()) continue;
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string FormatTable(const claims::VerificationReport& report) {
  std::ostringstream out;
  WriteWrapped(out, "", report.scenario);
  out << "\n"
      << PadRight("claim", kIdWidth) << " " << PadRight("margin", kMarginWidth) << " "
      << PadRight("status", kStatusWidth) << " reason\n";
  for (const ClaimResult& r : report.claims) {
    const std::vector<std::string> reason = WrapText(r.ReasonText(), kReasonWidth);
    for (std::size_t k = 0; k < reason.size(); ++k) {
      const bool first = k == 0;
      std::string row = PadRight(first ? r.id : "", kIdWidth) + " " +
                        PadRight(first ? FormatMargin(r) : "", kMarginWidth) + " " +
                        PadRight(first ? theory::NameOf(r.Status()) : "", kStatusWidth) + " " + reason[k];
      while (!row.empty() && row.back() == ' ') row.pop_back();
      out << row << "\n";
    }
  }

  // Each family's hypotheses once (the results of one claim share them), then each result's method.
  std::vector<std::string> families;
  std::map<std::string, std::vector<std::tuple<std::string, std::string, bool>>> hypotheses;
  for (const ClaimResult& r : report.claims) {
    if (!hypotheses.count(r.claim)) families.push_back(r.claim);
    auto& listed = hypotheses[r.claim];
    for (const claims::Hypothesis& h : r.hypotheses) {
      const auto entry = std::make_tuple(h.name, h.value, h.met);
      if (std::find(listed.begin(), listed.end(), entry) == listed.end()) listed.push_back(entry);
    }
  }
  out << "\nhypotheses\n";
  for (const std::string& family : families) {
    // One hypothesis a line, continuation lines aligned under the first.
    const std::string head = "  " + family + ": ";
    const std::string indent(head.size(), ' ');
    const auto& listed = hypotheses[family];
    if (listed.empty()) out << head << "none\n";
    for (std::size_t k = 0; k < listed.size(); ++k) {
      const auto& [name, value, met] = listed[k];
      const std::string text = name + (value.empty() ? "" : " (" + value + ")") + (met ? "" : " NOT MET");
      const std::vector<std::string> lines = WrapText(text, kTableWidth - static_cast<int>(head.size()));
      for (std::size_t l = 0; l < lines.size(); ++l) out << (k == 0 && l == 0 ? head : indent) << lines[l] << "\n";
    }
  }
  out << "methods\n";
  for (const ClaimResult& r : report.claims) WriteWrapped(out, "  ", r.id + ": " + r.method);

  std::map<ClaimStatus, int> count;
  for (const ClaimResult& r : report.claims) ++count[r.Status()];
  out << fmt::format(
      "\n{} results: {} held, {} failed, {} inconclusive, {} unverified, {} not applicable; "
      "wall time {:.1f} s\n{}\n",
      report.claims.size(), count[ClaimStatus::kHolds], count[ClaimStatus::kFails], count[ClaimStatus::kInconclusive],
      count[ClaimStatus::kUnverified], count[ClaimStatus::kNotApplicable], report.seconds,
      report.ExpectedClaimsHold() ? "no claim fails or is unverified inside its hypotheses"
                                  : "SOME CLAIMS FAIL OR ARE UNVERIFIED inside their hypotheses");
  return out.str();
}

}  // namespace ldaformer::report
