// `ldaformer verify`: the claims a scenario's verify options ask for, checked and reported.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/claims/progress.hpp"
#include "ldaformer/claims/verification.hpp"

namespace ldaformer::app {

struct VerifyRequest {
  ScenarioFile file;                // the scenario and its verify: section
  std::vector<std::string> claims;  // when not empty, replaces verify.claims
  std::string out_directory;        // when set: report.json, claims.csv, CSV matrices and PNG plots

  // The verify options the run uses: the file's, with `claims` applied. Throws std::invalid_argument
  // naming --claims and a claim that does not exist.
  claims::VerifyOptions Options() const;
};

// Runs the claims, reporting each check to `progress`, and writes the report directory when asked.
claims::VerificationReport RunVerify(const VerifyRequest& request,
                                     claims::Progress& progress = claims::SilentProgress());

// The exit status of `verify`: 1 when some result counts against the claims (ClaimResult::CountsAgainst), else 0.
int VerifyExitStatus(const claims::VerificationReport& report);

}  // namespace ldaformer::app
