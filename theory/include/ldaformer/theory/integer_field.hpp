// Integers read from outside input (YAML, JSON, flags, corpora) with their range checked before any
// conversion, so that a count can never wrap, truncate or overflow on its way in.
#pragma once

#include <limits>
#include <string>

namespace ldaformer::theory {

// The integer written in `text`: decimal digits with an optional sign, or an integral number in
// scientific or decimal notation such as "1e6" or "2.0". std::invalid_argument naming `field` and the
// text when it is not an integer or lies outside [lo, hi].
long long ParseInteger(const std::string& text, const std::string& field, long long lo, long long hi);

// `x` as an integer (a JSON number, say), checked to be integral and inside [lo, hi] before the conversion.
long long CheckedInteger(double x, const std::string& field, long long lo, long long hi);

// The largest thread count a flag accepts: 16 per core. More threads than that only cost memory (each
// holds its own accumulators) and never change a result.
int MaxThreads();

// The full range of an integer type that fits in long long.
template <class X>
constexpr long long MinOf() {
  return static_cast<long long>(std::numeric_limits<X>::min());
}
template <class X>
constexpr long long MaxOf() {
  return std::numeric_limits<X>::max() > static_cast<unsigned long long>(std::numeric_limits<long long>::max())
             ? std::numeric_limits<long long>::max()
             : static_cast<long long>(std::numeric_limits<X>::max());
}

}  // namespace ldaformer::theory
