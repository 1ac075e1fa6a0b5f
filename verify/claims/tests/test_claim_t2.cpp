// Claim T2 over the scenario grid, and its negative controls.
#include <cmath>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/cross_entropy_sample_average.hpp"
#include "result_text.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

TEST_CASE("T2 holds on every grid scenario: block-wise, same topic above different topic, all routes agree", "[T2]") {
  const auto files = testing::ScenarioFiles("grid");
  REQUIRE(files.size() >= 10);
  int inconclusive = 0;
  for (const std::string& file : files) {
    for (const ClaimResult& result : CheckT2(testing::Load(file), testing::TestOptions())) {
      INFO(file << ": " << result.id << " " << testing::Describe(result));
      CHECK(result.HypothesesMet());
      // A sample average may not resolve its margin (at N = 6, 1500 documents leave the worst word's margin
      // within 3 standard errors in t3-v9-a2-n6); everything else holds.
      if (result.Status() == ClaimStatus::kInconclusive && std::isfinite(result.standard_error)) {
        ++inconclusive;
      } else {
        CHECK(result.Status() == ClaimStatus::kHolds);
      }
      CHECK(result.margin > 0.0);
      if (result.id == "T2") {
        CHECK(result.details["block_residual"].get<double>() < 1e-8);
        CHECK(result.details["ceres_relative_error"].get<double>() < 1e-8);
        CHECK(result.details["flow_relative_error"].get<double>() < 1e-6);
      }
    }
  }
  CHECK(inconclusive <= 1);
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
  const auto results =
      CheckT2(testing::Load(std::string(LDAFORMER_SCENARIO_DIR) + "/grid/t4-v16-a0.1-inf.yaml"), options);
  REQUIRE(results.size() == 1);
  CHECK(results[0].Status() == ClaimStatus::kHolds);
}

TEST_CASE("T2 with lambda = 100 on the paper scenario: the gradient flow misses the closed form, unverified", "[T2]") {
  VerifyOptions options = testing::TestOptions();
  options.cross_entropy = false;
  options.lambda = 100;
  const auto results = CheckT2(theory::PaperSyntheticScenario(), options);
  REQUIRE(results.size() == 1);
  const ClaimResult& result = results[0];
  INFO(testing::Describe(result));
  CHECK(result.HypothesesMet());
  CHECK(result.Status() == ClaimStatus::kUnverified);
  CHECK(result.Reason() == ClaimReason::kCrossCheckFailed);
  CHECK(result.CountsAgainst());
  // The reason names the failing cross-check with its error and tolerance, as the cross-check records them.
  const CrossCheck* flow = nullptr;
  for (const CrossCheck& check : result.cross_checks) {
    if (check.name == "gradient flow vs closed form") flow = &check;
  }
  REQUIRE(flow != nullptr);
  CHECK_FALSE(flow->Passed());
  CHECK(flow->error == Approx(result.details["flow_relative_error"].get<double>()));
  CHECK(result.ReasonText() ==
        fmt::format("cross-check out of tolerance: gradient flow vs closed form {:.3g} > 1e-06", flow->error));
}

TEST_CASE("T2 with an asymmetric Dirichlet prior: not applicable, and the block residual says why", "[T2]") {
  VerifyOptions options = testing::TestOptions();
  options.cross_entropy = false;
  const auto results = CheckT2(testing::Load(testing::Data("asymmetric-alpha")), options);
  REQUIRE(results.size() == 1);
  const ClaimResult& result = results[0];
  INFO(testing::Describe(result));
  CHECK(result.Status() == ClaimStatus::kNotApplicable);
  CHECK_FALSE(result.CountsAgainst());
  const double residual = result.details["block_residual"].get<double>();
  CHECK(residual > 1e-3);  // unequal topics: far from the block form, not a rounding residual
  CHECK(result.ReasonText().find("exchangeable prior") != std::string::npos);
  CHECK(result.ReasonText().find(fmt::format("block residual {:.3g} > 1e-08", residual)) != std::string::npos);
}

TEST_CASE("T2-CE on blurred topics: a finite standard error, and inconclusive exactly within 3 of them", "[T2]") {
  // leak 0.8 leaves a small contrast; over three samples the status must follow |margin| <= 3 SE.
  for (const std::uint64_t seed : {1, 2, 3}) {
    VerifyOptions options = testing::TestOptions();
    options.seed = seed;
    const auto results = CheckT2(testing::Load(testing::Data("blurred-leak0.8")), options);
    const ClaimResult* ce = nullptr;
    for (const ClaimResult& result : results) {
      if (result.id == "T2-CE") ce = &result;
    }
    REQUIRE(ce != nullptr);
    INFO("seed " << seed << ": " << testing::Describe(*ce));
    CHECK(std::isfinite(ce->standard_error));
    CHECK(ce->standard_error > 0.0);
    CHECK(ce->Status() == ClaimStatus::kNotApplicable);  // blurred topics are not A1
    const bool within = std::abs(ce->margin) <= kInconclusiveStandardErrors * ce->standard_error;
    CHECK((ce->Verdict() == ClaimStatus::kInconclusive) == within);
  }
}

TEST_CASE("T2-CE's standard error matches the spread of its margin functional over independent samples", "[T2]") {
  // Two topics of three words: word 0's row margin is the fixed functional <F, W> (own topic's other words
  // minus the other topic), so its spread over seeds is that of the estimator. With K = 12 samples the
  // sample SD over the true SD lies in [sqrt(chi2_11(0.001) / 11), sqrt(chi2_11(0.999) / 11)] =
  // [0.41, 1.69] with probability 0.998; the ratio below uses the mean estimated SE for the true SD.
  const theory::Scenario scenario = testing::Load(testing::Data("two-topics-small"));
  const std::vector<int> topics = WordTopics(scenario.topics);
  const int v = scenario.topics.v;
  std::vector<double> values, errors;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    VerifyOptions options = testing::TestOptions();
    options.saa_documents = 400;
    options.seed = seed;
    const solvers::LinearSolveResult solved = SolveCrossEntropySampleAverage(scenario, options);
    const theory::Matrix F = RowMarginFunctional(solved.parameters, topics, v, 0, false);
    values.push_back((F.array() * solved.parameters.array()).sum());
    errors.push_back(CrossEntropyStandardError(scenario, options, solved.parameters, solved.loss, F));
  }
  const double ratio = testing::SampleSd(values) / testing::Mean(errors);
  INFO("sample SD / mean SE = " << ratio);
  CHECK(ratio > 0.41);
  CHECK(ratio < 1.69);
}

}  // namespace
}  // namespace ldaformer::claims
