#include "ldaformer/claims/verification.hpp"

#include <algorithm>
#include <chrono>

#include "ldaformer/claims/claims.hpp"

namespace ldaformer::claims {

bool VerificationReport::ExpectedClaimsHold() const {
  return std::none_of(claims.begin(), claims.end(), [](const ClaimResult& c) { return c.CountsAgainst(); });
}

VerificationReport RunVerification(const theory::Scenario& scenario, const VerifyOptions& options, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  VerificationReport report;
  report.scenario = scenario.Describe();
  report.scenario_name = scenario.name;
  const auto append = [&](std::vector<ClaimResult> results) {
    for (ClaimResult& result : results) report.claims.push_back(std::move(result));
  };
  if (options.Runs("T1")) append(CheckT1(scenario, options, progress));
  if (options.Runs("T2")) append(CheckT2(scenario, options, progress));
  if (options.Runs("T3")) append(CheckT3(scenario, options, progress));
  if (options.Runs("D")) append(CheckD(scenario, options, progress));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace ldaformer::claims
