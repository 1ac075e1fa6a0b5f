// Every claim a scenario's verify options ask for, in one report.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/claims/claim_result.hpp"
#include "ldaformer/claims/progress.hpp"
#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::claims {

struct VerificationReport {
  std::string scenario;  // Scenario::Describe()
  std::string scenario_name;
  std::vector<ClaimResult> claims;
  double seconds = 0.0;

  // True when no result CountsAgainst() (fails or is unverified inside its hypotheses): `verify` exits 0.
  bool ExpectedClaimsHold() const;
};

VerificationReport RunVerification(const theory::Scenario& scenario, const VerifyOptions& options,
                                   Progress& progress = SilentProgress());

}  // namespace ldaformer::claims
