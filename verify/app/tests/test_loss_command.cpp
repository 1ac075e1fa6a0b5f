// `ldaformer loss`: parameter specs, exact against Monte Carlo, and its errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "ldaformer/app/loss_command.hpp"
#include "ldaformer/sim/checkpoint.hpp"
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

TEST_CASE("Exact loss without a closed form is refused, and without --method it is estimated", "[verify][loss]") {
  LossRequest request;
  request.loss = theory::LossKind::kCrossEntropy;
  request.method = LossMethod::kExact;
  CHECK_THROWS_WITH(EvaluateLoss(request), Contains("use --method mc for cross_entropy"));
  request.model = LossModel::kTransformer;
  request.loss = theory::LossKind::kSquared;
  CHECK_THROWS_WITH(EvaluateLoss(request), Contains("the full model has no closed form; use --method mc"));

  LossRequest unset;
  CHECK(DefaultMethod(unset) == LossMethod::kExact);
  unset.loss = theory::LossKind::kCrossEntropy;
  CHECK(DefaultMethod(unset) == LossMethod::kMonteCarlo);
  unset.samples = 200;
  CHECK(EvaluateLoss(unset).method == "mc");
  unset.loss = theory::LossKind::kSquared;
  unset.model = LossModel::kTransformer;
  CHECK(DefaultMethod(unset) == LossMethod::kMonteCarlo);
}

// A small A1 scenario with masking that selects a fair share of positions, so the selected-target
// estimates of the full model have small errors.
theory::Scenario SmallScenario() {
  return theory::ParseScenarioString(
      "topics: {kind: disjoint_uniform, T: 3, v: 9}\nlength: {kind: uniform, min: 5, max: 20}\n"
      "masking: {p_m: 0.3}");
}

TEST_CASE("The full model at uniform attention has the linear predictor's loss", "[verify][loss]") {
  // Independent routes: the exact closed form of y = M xbar (b = 0), and the full model's softmax over
  // zero scores, sampled with the selected positions as targets.
  for (const std::string params : {"identity", "block:0.3,0.4,0.01"}) {
    LossRequest request;
    request.scenario = SmallScenario();
    request.params = params;
    const LossResult exact = EvaluateLoss(request);
    request.model = LossModel::kTransformer;
    request.samples = 20000;
    const LossResult mc = EvaluateLoss(request);
    INFO(params << ": exact " << exact.loss << " transformer mc " << mc.loss << " +- " << mc.standard_error);
    CHECK(mc.method == "mc");
    CHECK(mc.model == "transformer");
    CHECK(mc.standard_error > 0.0);
    CHECK(std::abs(exact.loss - mc.loss) <= 4.0 * mc.standard_error);
  }
  // Cross-entropy has no closed form: the linear model's every-position estimate and the full model's
  // selected-position estimate are independent estimates of the same number.
  LossRequest request;
  request.scenario = SmallScenario();
  request.params = "identity";
  request.loss = theory::LossKind::kCrossEntropy;
  request.samples = 20000;
  const LossResult linear = EvaluateLoss(request);
  request.model = LossModel::kTransformer;
  request.seed = 2;
  const LossResult full = EvaluateLoss(request);
  INFO("linear " << linear.loss << " +- " << linear.standard_error << ", full " << full.loss << " +- "
                 << full.standard_error);
  CHECK(std::abs(linear.loss - full.loss) <= 4.0 * std::hypot(linear.standard_error, full.standard_error));
}

TEST_CASE("Full-model parameter specs: random, uniform attention and checkpoints", "[verify][loss]") {
  const theory::Scenario s = SmallScenario();
  const int n = s.tokens().n();
  const theory::TransformerParams random = ParseTransformerParams("random:3", s);
  CHECK(random.n() == n);
  CHECK(random.d_k() == n);
  CHECK(random.E.isIdentity(0.0));
  CHECK(random.W_K != ParseTransformerParams("random:4", s).W_K);
  CHECK(random.W_V == ParseTransformerParams("random:3", s).W_V);
  // Scores of order 1: the entries of W^K, W^Q have unit variance.
  CHECK(random.W_K.squaredNorm() / double(n * n) == Approx(1.0).margin(0.3));
  CHECK(ParseTransformerParams("identity", s).W_V.isIdentity(0.0));
  CHECK(ParseTransformerParams("zero", s).W_K.isZero(0.0));

  const auto dir =
      std::filesystem::temp_directory_path() / ("ldaformer-loss-checkpoint-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  sim::Checkpoint checkpoint;
  checkpoint.state.params = random;
  sim::WriteCheckpoint((dir / "checkpoint.json").string(), checkpoint);
  const theory::TransformerParams loaded =
      ParseTransformerParams("checkpoint:" + (dir / "checkpoint.json").string(), s);
  CHECK(loaded.W_Q == random.W_Q);
  const theory::Scenario larger = theory::ParseScenarioString("topics: {kind: disjoint_uniform, T: 3, v: 12}");
  CHECK_THROWS_WITH(ParseTransformerParams("checkpoint:" + (dir / "checkpoint.json").string(), larger),
                    Contains("has n = 10 tokens, the scenario has n = 13"));
  std::filesystem::remove_all(dir);
  CHECK_THROWS_WITH(
      ParseTransformerParams("ones", s),
      Contains("--params must be zero, identity, random:SEED, block:a,b,c or checkpoint:FILE, got 'ones'"));

  LossRequest request;
  request.scenario = s;
  request.model = LossModel::kTransformer;
  request.params = "random:3";
  request.samples = 500;
  const auto json = report::ToJson(EvaluateLoss(request));
  CHECK(json["model"] == "transformer");
  CHECK(json["documents_per_second"].get<double>() > 0.0);
}

}  // namespace
}  // namespace ldaformer::app
