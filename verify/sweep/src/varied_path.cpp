#include "ldaformer/sweep/varied_path.hpp"

#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::sweep {

namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string part;
  std::stringstream in(text);
  while (std::getline(in, part, separator)) out.push_back(part);
  if (!text.empty() && text.back() == separator) out.push_back("");
  return out;
}

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// A whole string as a finite number, or false.
bool ToNumber(const std::string& text, double& x) {
  try {
    std::size_t used = 0;
    x = std::stod(text, &used);
    return used == text.size() && std::isfinite(x);
  } catch (const std::exception&) {
    return false;
  }
}

// The items of a list, split at the commas outside brackets, so that a value may itself be a YAML list:
// [1e-2,1e-3],[1e-3,1e-4] is two values.
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (const char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

[[noreturn]] void Refuse(const std::string& text, const std::string& why) {
  throw std::invalid_argument(fmt::format("--vary {}: {}", text, why));
}

}  // namespace

std::string FormatValue(double x) {
  double rounded = 0.0;
  ToNumber(fmt::format("{:.12g}", x), rounded);
  return fmt::format("{}", rounded);  // the shortest text that reads back as `rounded`
}

std::string VariedPath::Midpoint(double a, double b) const {
  if (spacing == Spacing::kLog && a > 0 && b > 0) return FormatValue(std::sqrt(a * b));
  return FormatValue(0.5 * (a + b));
}

VariedPath ParseVariedPath(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) Refuse(text, "must be PATH=VALUES (e.g. topics.leak=0:0.9:10)");
  VariedPath out;
  out.path = Trim(text.substr(0, eq));
  out.spec = Trim(text.substr(eq + 1));
  if (out.path.empty()) Refuse(text, "the path is empty");
  for (const std::string& part : Split(out.path, '.')) {
    if (part.empty()) Refuse(text, fmt::format("the path must be dotted field names, got '{}'", out.path));
  }
  if (out.spec.empty()) Refuse(text, "no values after '='");

  const bool log = out.spec.rfind("log:", 0) == 0;
  const bool list = out.spec.find_first_of(",[{") != std::string::npos;
  const std::vector<std::string> range = Split(log ? out.spec.substr(4) : out.spec, ':');
  if (log || (!list && range.size() > 1)) {
    if (range.size() != 3) Refuse(text, "a range is FIRST:LAST:COUNT or log:FIRST:LAST:COUNT");
    double first = 0.0, last = 0.0, count = 0.0;
    if (!ToNumber(range[0], first)) Refuse(text, fmt::format("the range's first value '{}' is not a number", range[0]));
    if (!ToNumber(range[1], last)) Refuse(text, fmt::format("the range's last value '{}' is not a number", range[1]));
    if (!ToNumber(range[2], count) || count != std::floor(count) || count < 2 || count > kMaxValuesPerPath) {
      Refuse(text,
             fmt::format("the range's COUNT must be an integer from 2 to {}, got '{}'", kMaxValuesPerPath, range[2]));
    }
    if (log && (first <= 0 || last <= 0)) Refuse(text, "a log range needs FIRST > 0 and LAST > 0");
    if (first == last) Refuse(text, "the range's FIRST and LAST are equal");
    out.spacing = log ? Spacing::kLog : Spacing::kLinear;
    const int k = static_cast<int>(count);
    for (int i = 0; i < k; ++i) {
      const double u = static_cast<double>(i) / (k - 1);
      const double x =
          log ? std::exp(std::log(first) + u * (std::log(last) - std::log(first))) : first + u * (last - first);
      out.values.push_back(FormatValue(i == k - 1 ? last : x));
    }
  } else {
    for (const std::string& item : SplitList(out.spec)) {
      const std::string value = Trim(item);
      if (value.empty()) Refuse(text, "an empty value in the list");
      out.values.push_back(value);
    }
    if (out.values.size() > static_cast<std::size_t>(kMaxValuesPerPath)) {
      Refuse(text, fmt::format("more than {} values", kMaxValuesPerPath));
    }
  }
  std::set<std::string> seen;
  for (const std::string& value : out.values) {
    if (!seen.insert(value).second) {
      Refuse(text, fmt::format("the value {} appears twice (12 significant digits tell values apart)", value));
    }
  }
  for (const std::string& value : out.values) {
    double x = 0.0;
    if (!ToNumber(value, x)) {
      out.numbers.clear();
      break;
    }
    out.numbers.push_back(x);
  }
  return out;
}

}  // namespace ldaformer::sweep
