#include "ldaformer/theory/integer_field.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace ldaformer::theory {

namespace {

// 2^63 as a double: every double below it (and >= -2^63) converts to long long exactly.
constexpr double kTwo63 = 9223372036854775808.0;

std::invalid_argument Below(const std::string& field, const std::string& text, long long lo) {
  return std::invalid_argument(fmt::format("{} must be >= {}, got {}", field, lo, text));
}
std::invalid_argument Above(const std::string& field, const std::string& text, long long hi) {
  return std::invalid_argument(fmt::format("{} must be <= {}, got {}", field, hi, text));
}
std::invalid_argument NotInteger(const std::string& field, const std::string& text) {
  return std::invalid_argument(fmt::format("{} must be an integer, got '{}'", field, text));
}

long long InRange(double x, const std::string& field, const std::string& text, long long lo, long long hi) {
  if (!std::isfinite(x) || x != std::floor(x)) throw NotInteger(field, text);
  if (x < -kTwo63 || x < static_cast<double>(lo)) throw Below(field, text, lo);
  if (x >= kTwo63) throw Above(field, text, hi);
  const long long value = static_cast<long long>(x);
  if (value < lo) throw Below(field, text, lo);
  if (value > hi) throw Above(field, text, hi);
  return value;
}

}  // namespace

long long ParseInteger(const std::string& text, const std::string& field, long long lo, long long hi) {
  if (text.empty() || text.find_first_of(" \t\r\n") != std::string::npos) throw NotInteger(field, text);
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (*end == '\0') {
    if (errno == ERANGE) throw text[0] == '-' ? Below(field, text, lo) : Above(field, text, hi);
    if (value < lo) throw Below(field, text, lo);
    if (value > hi) throw Above(field, text, hi);
    return value;
  }
  // Not plain digits: an integral number in decimal or scientific notation ("1e6"), never hex or inf.
  if (text.find_first_of("xXpPiInN") != std::string::npos) throw NotInteger(field, text);
  const double x = std::strtod(begin, &end);
  if (end == begin || *end != '\0') throw NotInteger(field, text);
  return InRange(x, field, text, lo, hi);
}

long long CheckedInteger(double x, const std::string& field, long long lo, long long hi) {
  return InRange(x, field, fmt::format("{}", x), lo, hi);
}

int MaxThreads() { return 16 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace ldaformer::theory
