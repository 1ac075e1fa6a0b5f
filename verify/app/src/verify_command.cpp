#include "ldaformer/app/verify_command.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ldaformer/report/staged_directory.hpp"
#include "ldaformer/report/verification_report.hpp"

namespace ldaformer::app {

claims::VerifyOptions VerifyRequest::Options() const {
  claims::VerifyOptions options = file.verify;
  if (claims.empty()) return options;
  const claims::VerifyOptions defaults;  // every claim
  for (const std::string& claim : claims) {
    if (std::find(defaults.claims.begin(), defaults.claims.end(), claim) == defaults.claims.end()) {
      const std::vector<std::string>& all = defaults.claims;
      throw std::invalid_argument(fmt::format("--claims must name {} or {}, got '{}'",
                                              fmt::join(all.begin(), all.end() - 1, ", "), all.back(), claim));
    }
  }
  options.claims = claims;
  return options;
}

claims::VerificationReport RunVerify(const VerifyRequest& request, claims::Progress& progress) {
  const claims::VerifyOptions options = request.Options();
  // Staged before the computation, so an --out that cannot be written fails at once; committed whole.
  std::optional<report::StagedDirectory> out;
  if (!request.out_directory.empty()) out.emplace(request.out_directory, "report.json");
  const claims::VerificationReport report = claims::RunVerification(request.file.scenario, options, progress);
  if (out) {
    report::WriteReport(report, request.file.scenario, options, out->path());
    out->Commit();
  }
  return report;
}

int VerifyExitStatus(const claims::VerificationReport& report) { return report.ExpectedClaimsHold() ? 0 : 1; }

}  // namespace ldaformer::app
