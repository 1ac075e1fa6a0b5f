#include "ldaformer/claims/claim_result.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace ldaformer::claims {

std::string ClaimResult::Status() const {
  if (inconclusive) return hypotheses_met ? "inconclusive (sampling noise)" : "inconclusive (outside hypotheses)";
  if (!std::isfinite(margin)) return hypotheses_met ? "FAILS (not measurable)" : "not applicable";
  if (hypotheses_met) return holds ? "holds" : "FAILS";
  return holds ? "holds (outside hypotheses)" : "fails (outside hypotheses)";
}

}  // namespace ldaformer::claims
