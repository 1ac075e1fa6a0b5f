#include "ldaformer/theory/length_distribution.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/random/discrete_distribution.hpp>

namespace ldaformer::theory {

namespace {

// Longer documents than this are surely a typo, and would allocate gigabytes.
constexpr int kMaxLength = 1000000;

void RequireLength(const char* field, int N) {
  if (N < 1 || N > kMaxLength) {
    throw std::invalid_argument(fmt::format("{} must be in [1, {}], got {}", field, kMaxLength, N));
  }
}

}  // namespace

LengthDistribution LengthDistribution::Fixed(int N) {
  RequireLength("length.N", N);
  LengthDistribution law;
  law.kind = Kind::kFixed;
  law.values = {N};
  law.probs = {1.0};
  return law;
}

LengthDistribution LengthDistribution::Uniform(int N_min, int N_max) {
  RequireLength("length.min", N_min);
  RequireLength("length.max", N_max);
  if (N_max < N_min) {
    throw std::invalid_argument(fmt::format("length.max must be >= length.min={}, got {}", N_min, N_max));
  }
  LengthDistribution law;
  law.kind = Kind::kUniform;
  for (int N = N_min; N <= N_max; ++N) law.values.push_back(N);
  law.probs.assign(law.values.size(), 1.0 / static_cast<double>(law.values.size()));
  return law;
}

LengthDistribution LengthDistribution::Pmf(const std::vector<int>& values, const std::vector<double>& probs) {
  if (values.empty() || values.size() != probs.size()) {
    throw std::invalid_argument(
        fmt::format("length.values and length.probs must be non-empty and of equal size, got {} and {}", values.size(),
                    probs.size()));
  }
  double total = 0.0;
  for (size_t i = 0; i < values.size(); ++i) {
    RequireLength(fmt::format("length.values[{}]", i).c_str(), values[i]);
    if (i > 0 && values[i] <= values[i - 1]) {
      throw std::invalid_argument(
          fmt::format("length.values must be increasing, got {} after {} at index {}", values[i], values[i - 1], i));
    }
    if (!std::isfinite(probs[i]) || probs[i] < 0.0) {
      throw std::invalid_argument(fmt::format("length.probs[{}] must be finite and >= 0, got {}", i, probs[i]));
    }
    total += probs[i];
  }
  if (std::abs(total - 1.0) > 1e-9) {
    throw std::invalid_argument(fmt::format("length.probs must sum to 1, got {:.17g}", total));
  }
  LengthDistribution law;
  law.kind = Kind::kPmf;
  law.values = values;
  law.probs = probs;
  return law;
}

LengthDistribution LengthDistribution::Infinite() {
  LengthDistribution law;
  law.kind = Kind::kInfinite;
  return law;
}

double LengthDistribution::Mean() const {
  if (IsInfinite()) return INFINITY;
  double mean = 0.0;
  for (size_t i = 0; i < values.size(); ++i) mean += probs[i] * values[i];
  return mean;
}

double LengthDistribution::SizeBiasedExpectation(const std::function<double(int)>& f) const {
  if (IsInfinite()) throw std::logic_error("length: no size-biased expectation for N -> infinity");
  double sum = 0.0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (probs[i] > 0.0) sum += probs[i] * values[i] * f(values[i]);
  }
  return sum / Mean();
}

int LengthDistribution::Sample(Rng& rng) const {
  if (IsInfinite()) throw std::logic_error("length: cannot sample N -> infinity");
  if (values.size() == 1) return values[0];
  boost::random::discrete_distribution<int, double> pick(probs.begin(), probs.end());
  return values[pick(rng)];
}

std::string LengthDistribution::Describe() const {
  switch (kind) {
    case Kind::kFixed:
      return fmt::format("N={}", values[0]);
    case Kind::kUniform:
      return fmt::format("N~U{{{}..{}}}", values.front(), values.back());
    case Kind::kPmf:
      return fmt::format("N~pmf on {} values in [{}, {}]", values.size(), values.front(), values.back());
    case Kind::kInfinite:
      return "N->inf";
  }
  return "unknown";
}

}  // namespace ldaformer::theory
