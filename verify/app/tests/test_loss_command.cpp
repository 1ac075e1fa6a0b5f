// `ldaformer loss`: parameter specs, exact against Monte Carlo, and its errors.
#include <catch2/catch.hpp>

#include "ldaformer/app/loss_command.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"

namespace ldaformer::app {
namespace {

using Catch::Contains;

TEST_CASE("Parameter specs build the named predictors", "[verify][loss]") {
  const theory::Scenario s = theory::PaperSyntheticScenario();
  CHECK(ParseLinearPredictor("zero", s).M.isZero(0.0));
  CHECK(ParseLinearPredictor("identity", s).M.isIdentity(0.0));
  CHECK(ParseLinearPredictor("random:4", s).M == ParseLinearPredictor("random:4", s).M);
  CHECK(ParseLinearPredictor("random:4", s).M != ParseLinearPredictor("random:5", s).M);
  const theory::Matrix block = ParseLinearPredictor("block:1,0.5,0.25", s).M;
  CHECK(block(0, 0) == 1.75);   // same word: a + b + c
  CHECK(block(0, 9) == 0.75);   // same topic (words 0..9): b + c
  CHECK(block(0, 10) == 0.25);  // different topic: c
  CHECK(block(100, 0) == 0.0);  // MASK row
  CHECK_THROWS_WITH(ParseLinearPredictor("random:x", s),
                    Contains("random:SEED needs a non-negative integer, got 'random:x'"));
  CHECK_THROWS_WITH(ParseLinearPredictor("block:1,2", s), Contains("block:a,b,c needs three finite numbers"));
  CHECK_THROWS_WITH(ParseLinearPredictor("ones", s),
                    Contains("--params must be zero, identity, random:SEED or block:a,b,c, got 'ones'"));
}

TEST_CASE("Exact and Monte Carlo losses agree within 4 standard errors", "[verify][loss]") {
  for (const std::string params : {"identity", "random:2", "block:0.3,0.4,0.01"}) {
    LossRequest request;
    request.scenario = theory::ParseScenarioString(
        "topics: {kind: disjoint_uniform, T: 3, v: 9}\nlength: {kind: uniform, min: 5, max: 20}");
    request.params = params;
    const LossResult exact = EvaluateLoss(request);
    CHECK(exact.path == "structured");
    request.method = LossMethod::kMonteCarlo;
    request.samples = 20000;
    const LossResult mc = EvaluateLoss(request);
    INFO(params << ": exact " << exact.loss << " mc " << mc.loss << " +- " << mc.standard_error);
    CHECK(std::abs(exact.loss - mc.loss) <= 4.0 * mc.standard_error);
    const auto json = report::ToJson(mc);
    CHECK(json["method"] == "mc");
    CHECK(json.contains("stderr"));
  }
}

TEST_CASE("Exact loss without a closed form is refused", "[verify][loss]") {
  LossRequest request;
  request.loss = theory::LossKind::kCrossEntropy;
  CHECK_THROWS_WITH(EvaluateLoss(request), Contains("use --method mc for cross_entropy"));
}

}  // namespace
}  // namespace ldaformer::app
