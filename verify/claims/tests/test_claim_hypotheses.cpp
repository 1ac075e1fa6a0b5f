// Every claim outside its hypotheses: one topic per document and one position per document.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/claims/verification.hpp"
#include "result_text.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

// Records what the checks report, to see that every result is announced and timed.
class RecordingProgress : public Progress {
 public:
  void Begin(const std::string& id, int /*steps*/) override { begun.push_back(id); }
  void End(const std::string& id, double seconds) override {
    ended.push_back(id);
    CHECK(seconds >= 0.0);
  }
  std::vector<std::string> begun, ended;
};

TEST_CASE("uniform subsets of one topic and N = 1: every result is not applicable, none counts against",
          "[T1][T2][T3][D]") {
  VerifyOptions options = testing::TestOptions();
  options.saa_documents = 300;
  options.d_eps = {1e-2, 1e-3};
  options.d_documents = 50;
  options.d_t_end = 1e3;
  RecordingProgress progress;
  const VerificationReport report = RunVerification(testing::Load(testing::Data("subset-k1-n1")), options, progress);
  REQUIRE(!report.claims.empty());
  std::vector<std::string> ids;
  for (const ClaimResult& result : report.claims) {
    INFO(testing::Describe(result));
    ids.push_back(result.id);
    CHECK(result.Status() == ClaimStatus::kNotApplicable);
    CHECK(result.Reason() == ClaimReason::kHypothesisNotMet);
    CHECK_FALSE(result.CountsAgainst());
    CHECK(result.ReasonText().find("at least two positions per document (smallest N = 1)") != std::string::npos);
  }
  CHECK(report.ExpectedClaimsHold());
  for (const char* claim : {"T1", "T2", "T3", "D"}) {
    INFO(claim);
    CHECK(std::any_of(report.claims.begin(), report.claims.end(),
                      [&](const ClaimResult& r) { return r.claim == claim; }));
  }
  // T3 also needs documents that mix topics, which one topic per document never does.
  for (const ClaimResult& result : report.claims) {
    if (result.claim == "T3") CHECK(result.ReasonText().find("documents mix two topics") != std::string::npos);
  }
  CHECK(progress.begun == ids);
  CHECK(progress.ended == ids);
}

}  // namespace
}  // namespace ldaformer::claims
