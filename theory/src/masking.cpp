#include "ldaformer/theory/masking.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory {

namespace {

void RequireProbability(const char* field, double p) {
  if (!std::isfinite(p) || p < 0.0 || p > 1.0) {
    throw std::invalid_argument(fmt::format("masking.{} must be in [0, 1], got {}", field, p));
  }
}

}  // namespace

void Masking::Validate() const {
  RequireProbability("p_m", p_m);
  RequireProbability("p_c", p_c);
  RequireProbability("p_r", p_r);
  if (p_c + p_r > 1.0 + 1e-12) {
    throw std::invalid_argument(
        fmt::format("masking.p_c + masking.p_r must be <= 1, got p_c={} + p_r={} = {}", p_c, p_r, p_c + p_r));
  }
}

Channel TargetChannel(const Masking& masking) {
  const double mu0 = std::max(0.0, 1.0 - masking.p_c - masking.p_r);
  return Channel{masking.p_c, masking.p_r, mu0};
}

Channel OtherChannel(const Masking& masking) {
  const Channel target = TargetChannel(masking);
  return Channel{1.0 - masking.p_m + masking.p_m * target.word, masking.p_m * target.random, masking.p_m * target.mask};
}

}  // namespace ldaformer::theory
