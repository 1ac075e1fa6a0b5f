// The hypotheses of the claims, and every claim outside them: one topic and one position per document.
#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/verification.hpp"
#include "result_text.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

// Records what the checks report, to see that every result is announced and timed.
class RecordingProgress : public Progress {
 public:
  void Begin(const std::string& id, int steps) override {
    begun.push_back(id);
    announced[id] = steps;
    current = id;
  }
  void Step(int done) override { stepped[current].push_back(done); }
  void End(const std::string& id, double seconds) override {
    ended.push_back(id);
    CHECK(seconds >= 0.0);
  }
  std::vector<std::string> begun, ended;
  std::string current;
  std::map<std::string, int> announced;
  std::map<std::string, std::vector<int>> stepped;
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
  // D announces one step per eps and per replicate (verify.d_replicates, default 2) and reports each flow
  // as it ends; here no run reaches stage 2 by t_end, so there is no margin to replicate.
  CHECK(progress.announced.at("D") == 4);
  CHECK(progress.stepped.at("D") == std::vector<int>{1, 2});
}

TEST_CASE("T3's mixing hypothesis: Dirichlet and uniform subsets of k >= 2 mix, k = 1 and unknown samplers do not",
          "[T3]") {
  const auto mixes = [](const theory::DocumentPrior& prior) {
    theory::Scenario scenario = theory::PaperSyntheticScenario();
    scenario.prior = prior;
    for (const Hypothesis& h : ClaimHypotheses(scenario, "T3")) {
      if (h.name == "documents mix two topics") return h.met;
    }
    FAIL("no mixing hypothesis");
    return false;
  };
  CHECK(mixes(theory::DocumentPrior::SymmetricDirichlet(10, 0.1)));
  CHECK(mixes(theory::DocumentPrior::UniformSubset(10, 2)));
  CHECK_FALSE(mixes(theory::DocumentPrior::UniformSubset(10, 1)));
  // One topic per document, drawn uniformly: E[theta theta^T] = I / T has no off-diagonal mass.
  const auto one_topic = [](theory::Rng& rng) {
    theory::Vector theta = theory::Vector::Zero(10);
    theta[std::uniform_int_distribution<int>(0, 9)(rng)] = 1.0;
    return theta;
  };
  CHECK_FALSE(mixes(theory::DocumentPrior::FromSampler(10, one_topic)));  // unknown: assumed not
  CHECK_FALSE(mixes(theory::DocumentPrior::FromSampler(10, one_topic, theory::Vector::Constant(10, 0.1),
                                                       theory::Matrix::Identity(10, 10) / 10.0)));
  CHECK(mixes(theory::DocumentPrior::FromSampler(10, one_topic, theory::Vector::Constant(10, 0.1),
                                                 theory::Matrix::Constant(10, 10, 0.01))));
  // Only T3 asks for it.
  for (const Hypothesis& h : ClaimHypotheses(theory::PaperSyntheticScenario(), "T2")) {
    CHECK(h.name != "documents mix two topics");
  }
}

TEST_CASE("a lower-bound condition is met at or above its limit and says so when it is not", "[D]") {
  ClaimResult result;
  result.margin = 1.0;
  result.conditions.push_back({"t_KQ_level slope vs log(1/eps)", -2.0, 0.0, /*lower_bound=*/true});
  CHECK(result.Status() == ClaimStatus::kFails);
  CHECK(result.ReasonText() == "condition not met: t_KQ_level slope vs log(1/eps) -2 < 0");
  result.conditions[0].value = 0.0;
  CHECK(result.Status() == ClaimStatus::kHolds);
  result.conditions[0].value = std::numeric_limits<double>::quiet_NaN();
  CHECK(result.Status() == ClaimStatus::kFails);
}

}  // namespace
}  // namespace ldaformer::claims
