// Claim T1 over the scenario grid, and its negative controls.
#include <catch2/catch.hpp>

#include "ldaformer/report/verification_report.hpp"
#include "ldaformer/claims/claims.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

TEST_CASE("T1 holds with a positive margin on every grid scenario, for every method", "[T1]") {
  const auto files = testing::ScenarioFiles("grid");
  REQUIRE(files.size() >= 10);
  for (const std::string& file : files) {
    for (const ClaimResult& result : CheckT1(testing::Load(file), testing::TestOptions())) {
      INFO(file << ": " << result.id << " margin " << result.margin << " " << report::ToJson(result).dump());
      CHECK(result.hypotheses_met);
      CHECK(result.holds);
      CHECK(result.margin > 0.0);
    }
  }
}

TEST_CASE("T1 negative controls: overlapping topics break it, one topic is not applicable", "[T1]") {
  for (const ClaimResult& result : CheckT1(testing::Load(testing::Control("overlapping-topics")), testing::TestOptions())) {
    INFO(result.id << " margin " << result.margin);
    CHECK_FALSE(result.hypotheses_met);
    CHECK_FALSE(result.holds);
    CHECK(result.margin < 0.0);
    CHECK_FALSE(result.Unexpected());
  }
  for (const ClaimResult& result : CheckT1(testing::Load(testing::Control("one-topic")), testing::TestOptions())) {
    CHECK(result.Status() == "not applicable");
  }
}

}  // namespace
}  // namespace ldaformer::claims
