// Fields as every report file writes them (private to report/): CSV text and numbers, JSON numbers.
#pragma once

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ldaformer::report {

// A CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
inline std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// The shortest text that reads back as x; empty when not finite (NaN: exact, or not measurable).
inline std::string CsvNumber(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

// JSON has no NaN: null stands for it.
inline nlohmann::json JsonNumber(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

}  // namespace ldaformer::report
