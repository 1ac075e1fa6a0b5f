// Claim T2 checked on a scenario built in code instead of a YAML file: T = 4 disjoint topics of 5 words
// (A1), Dirichlet(0.5), N uniform on 20..30, the default masking. CheckT2 gives one ClaimResult per method:
// the exact closed form (margin exact, no standard error) and the cross-entropy sample average (margin +-
// its standard error). Prints each result's margin, status and reason. Then the same check on a negative
// control, overlapping topics (each row of beta gives 40% of its mass to the next topic's words): T2's
// hypothesis A1 is not met, so the status is "not applicable", and the reason adds what the numbers say:
// the exact W* fails (it is no longer of the block form a I + b B + c J). Exits 1 unless the A1 results
// hold and the control's exact result does not.
#include <cmath>
#include <cstdio>
#include <vector>

#include "ldaformer/claims/claim_result.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/progress.hpp"
#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"

using namespace ldaformer;
using theory::NameOf;

std::vector<claims::ClaimResult> CheckAndPrint(const theory::Scenario& scenario, const claims::VerifyOptions& options) {
  const std::vector<claims::ClaimResult> results = claims::CheckT2(scenario, options, claims::SilentProgress());
  for (const claims::ClaimResult& r : results) {
    std::printf("  %-6s margin %.6f", r.id.c_str(), r.margin);
    // An exact margin has no standard error (NaN); a sample average's has one.
    if (std::isnan(r.standard_error))
      std::printf(" (exact)");
    else
      std::printf(" +- %.6f", r.standard_error);
    std::printf(", %s", NameOf(r.Status()).c_str());
    if (r.Reason() != claims::ClaimReason::kNone) std::printf(": %s", r.ReasonText().c_str());
    std::printf("\n");
  }
  return results;
}

int main() {
  const int T = 4, v = 20, m = v / T;
  theory::Scenario scenario;
  scenario.name = "own-A1";
  scenario.topics = theory::TopicModel::DisjointUniform(T, v);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(T, 0.5);
  scenario.length = theory::LengthDistribution::Uniform(20, 30);
  scenario.masking.p_m = 0.15;  // the defaults, spelled out: p_c = 0.1 show the word, p_r = 0.1 a random one
  scenario.masking.p_c = 0.1;
  scenario.masking.p_r = 0.1;
  scenario.Validate();

  claims::VerifyOptions options;  // the `verify:` section's defaults, with a smaller sample average
  options.claims = {"T2"};
  options.lambda = 1e-3;
  options.saa_documents = 400;
  std::printf("%s:\n", scenario.Describe().c_str());
  const std::vector<claims::ClaimResult> own = CheckAndPrint(scenario, options);

  // Negative control: row t of beta puts 60% of its mass uniformly on topic t's words and 40% on topic t+1's.
  theory::Matrix beta = theory::Matrix::Zero(T, v);
  for (int t = 0; t < T; ++t) {
    for (int j = 0; j < m; ++j) {
      beta(t, t * m + j) += 0.6 / m;
      beta(t, (t + 1) % T * m + j) += 0.4 / m;
    }
  }
  theory::Scenario control = scenario;
  control.name = "overlapping-topics";
  control.topics = theory::TopicModel::FromBeta(beta);
  control.Validate();
  std::printf("%s:\n", control.name.c_str());
  const std::vector<claims::ClaimResult> negative = CheckAndPrint(control, options);

  bool ok = negative.front().Verdict() != claims::ClaimStatus::kHolds;
  for (const claims::ClaimResult& r : own) ok = ok && r.Status() == claims::ClaimStatus::kHolds;
  return ok ? 0 : 1;
}
