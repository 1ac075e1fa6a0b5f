// `--vary PATH=VALUES`: one scenario field and the values a sweep gives it.
//   VALUES = a list        0,0.1,0.5        (any YAML values: all,unselected or [1e-2,1e-3],[1e-3,1e-4])
//        | a linear range  0:0.9:10         (10 values from 0 to 0.9, both ends included)
//        | a log range     log:1e-4:1:9     (9 values, equally spaced in log, both ends included)
// Range values are rounded to 12 significant digits, so 0:0.9:10 gives 0.3, not 0.30000000000000004, and
// the text of a value is what a scenario file would say.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/theory/names.hpp"

namespace ldaformer::sweep {

enum class Spacing { kList, kLinear, kLog };

struct VariedPath {
  std::string path;  // dotted YAML path, e.g. topics.leak
  std::string spec;  // as given
  Spacing spacing = Spacing::kList;
  std::vector<std::string> values;  // YAML text of each value
  std::vector<double> numbers;      // the values as numbers; empty unless every value is a number

  bool Numeric() const { return !numbers.empty(); }
  // Between two numeric values: the arithmetic midpoint, or the geometric one on a log range; as text.
  std::string Midpoint(double a, double b) const;
};

// At most this many values per path (a 2-D grid of two such paths is 10^6 points: refused by MaxPoints).
inline constexpr int kMaxValuesPerPath = 100000;
// At most this many points in a sweep, refinements included.
inline constexpr long kMaxPoints = 100000;

// Parses `PATH=VALUES`. Throws std::invalid_argument naming --vary, the text and what is wrong: no `=`, an
// empty path or value, a range whose ends are not finite numbers, fewer than 2 or more than
// kMaxValuesPerPath values, a log range with an end <= 0, or a value given twice.
VariedPath ParseVariedPath(const std::string& text);

// A number as a sweep writes it: 12 significant digits, the shortest form ("0.3", "1e-04" is "0.0001").
std::string FormatValue(double x);

}  // namespace ldaformer::sweep

namespace ldaformer::theory {
template <>
inline const NameTable<sweep::Spacing> kNames<sweep::Spacing> = {
    {sweep::Spacing::kList, "list"}, {sweep::Spacing::kLinear, "linear"}, {sweep::Spacing::kLog, "log"}};
}  // namespace ldaformer::theory
