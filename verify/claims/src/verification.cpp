#include "ldaformer/claims/verification.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ldaformer/claims/claims.hpp"

namespace ldaformer::claims {

bool VerificationReport::ExpectedClaimsHold() const {
  for (const ClaimResult& claim : claims) {
    if (claim.Unexpected()) return false;
  }
  return true;
}

VerificationReport RunVerification(const theory::Scenario& scenario, const VerifyOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  VerificationReport report;
  report.scenario = scenario.Describe();
  report.scenario_name = scenario.name;
  const auto append = [&](std::vector<ClaimResult> results) {
    for (ClaimResult& result : results) report.claims.push_back(std::move(result));
  };
  if (options.Runs("T1")) append(CheckT1(scenario, options));
  if (options.Runs("T2")) append(CheckT2(scenario, options));
  if (options.Runs("T3")) append(CheckT3(scenario, options));
  if (options.Runs("D")) append(CheckD(scenario, options));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ldaformer::claims
