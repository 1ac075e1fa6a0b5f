// Shared by the claim tests: a result in words for INFO(), without the report part (which serialises
// results for the tool): id, status, reason, margin and standard error, and the details.
#pragma once

#include <sstream>
#include <string>

#include "ldaformer/claims/claim_result.hpp"
#include "ldaformer/theory/names.hpp"

namespace ldaformer::claims::testing {

inline std::string Describe(const ClaimResult& result) {
  std::ostringstream out;
  out << result.id << ": " << theory::NameOf(result.Status()) << " (" << result.ReasonText() << "), margin "
      << result.margin << " +- " << result.standard_error << ", details " << result.details.dump();
  return out.str();
}

}  // namespace ldaformer::claims::testing
