// The document length N ~ P_N, independent of theta.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/rng.hpp"

namespace ldaformer::theory {

// A length law: fixed N, uniform on {N_min..N_max}, a general finite pmf, or the limit N -> infinity.
// The population loss is per selected token, so exact formulas average over the *size-biased* law
// P'(N) = N P(N) / E[N] (a token is more likely to sit in a long document); see docs/THEORY.md.
struct LengthDistribution {
  enum class Kind { kFixed, kUniform, kPmf, kInfinite };

  Kind kind = Kind::kFixed;
  std::vector<int> values;    // support, increasing, every value >= 1
  std::vector<double> probs;  // P(N = values[i]), summing to 1

  // Named constructors validate and throw std::invalid_argument naming the field and the value.
  static LengthDistribution Fixed(int N);
  static LengthDistribution Uniform(int N_min, int N_max);
  static LengthDistribution Pmf(const std::vector<int>& values, const std::vector<double>& probs);
  static LengthDistribution Infinite();

  bool IsInfinite() const { return kind == Kind::kInfinite; }
  // E_{N ~ P'}[f(N)] under the size-biased law. Not defined for kInfinite.
  double SizeBiasedExpectation(const std::function<double(int)>& f) const;
  // Draws N ~ P_N (the plain law: documents, not tokens). Not defined for kInfinite.
  int Sample(Rng& rng) const;
  double Mean() const;
  int Max() const { return values.back(); }
  std::string Describe() const;
};

// The length.kind names of a scenario file.
template <>
inline const NameTable<LengthDistribution::Kind> kNames<LengthDistribution::Kind> = {
    {LengthDistribution::Kind::kFixed, "fixed"},
    {LengthDistribution::Kind::kUniform, "uniform"},
    {LengthDistribution::Kind::kPmf, "pmf"},
    {LengthDistribution::Kind::kInfinite, "infinite"}};

}  // namespace ldaformer::theory
