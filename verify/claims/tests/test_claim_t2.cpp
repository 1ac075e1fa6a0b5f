// Claim T2 over the scenario grid, and its negative controls.
#include <catch2/catch.hpp>

#include "result_text.hpp"
#include "ldaformer/claims/claims.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

TEST_CASE("T2 holds on every grid scenario: block-wise, same topic above different topic, all routes agree", "[T2]") {
  const auto files = testing::ScenarioFiles("grid");
  REQUIRE(files.size() >= 10);
  for (const std::string& file : files) {
    for (const ClaimResult& result : CheckT2(testing::Load(file), testing::TestOptions())) {
      INFO(file << ": " << result.id << " " << testing::Describe(result));
      CHECK(result.HypothesesMet());
      CHECK(result.Status() == ClaimStatus::kHolds);
      CHECK(result.margin > 0.0);
      if (result.id == "T2") {
        CHECK(result.details["block_residual"].get<double>() < 1e-8);
        CHECK(result.details["ceres_relative_error"].get<double>() < 1e-8);
        CHECK(result.details["flow_relative_error"].get<double>() < 1e-6);
      }
    }
  }
}

TEST_CASE("T2 negative control: with overlapping topics the optimum is not block-wise by topic", "[T2]") {
  const auto results = CheckT2(testing::Load(testing::Control("overlapping-topics")), testing::TestOptions());
  REQUIRE(!results.empty());
  for (const ClaimResult& result : results) {
    INFO(result.id << " " << testing::Describe(result));
    CHECK_FALSE(result.HypothesesMet());
    CHECK(result.Verdict() == ClaimStatus::kFails);
    CHECK(result.margin < 0.0);
  }
}

TEST_CASE("T2 without the penalty's symmetry breaking: at N -> infinity a tiny lambda still selects the block form",
          "[T2]") {
  // C is singular at N -> infinity (docs/THEORY.md), so only lambda > 0 makes the optimum unique.
  VerifyOptions options = testing::TestOptions();
  options.cross_entropy = false;
  options.lambda = 1e-6;
  const auto results = CheckT2(testing::Load(std::string(LDAFORMER_SCENARIO_DIR) + "/grid/t4-v16-a0.1-inf.yaml"), options);
  REQUIRE(results.size() == 1);
  CHECK(results[0].Status() == ClaimStatus::kHolds);
}

}  // namespace
}  // namespace ldaformer::claims
