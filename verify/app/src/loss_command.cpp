#include "ldaformer/app/loss_command.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/second_moments.hpp"

namespace ldaformer::app {

using theory::LinearPredictor;

namespace {

std::uint64_t ParseSeed(const std::string& text, const std::string& spec) {
  try {
    size_t used = 0;
    const unsigned long long seed = std::stoull(text, &used);
    if (used == text.size() && text.find('-') == std::string::npos) return seed;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(fmt::format("--params: random:SEED needs a non-negative integer, got '{}'", spec));
}

}  // namespace

LinearPredictor ParseLinearPredictor(const std::string& spec, const theory::Scenario& scenario) {
  const int n = scenario.tokens().n();
  if (spec == "zero") return LinearPredictor::Zero(n);
  if (spec == "identity") return LinearPredictor::Identity(n);
  if (spec.rfind("random:", 0) == 0) return LinearPredictor::Random(n, ParseSeed(spec.substr(7), spec));
  if (spec.rfind("block:", 0) == 0) {
    if (!scenario.topics.disjoint_uniform) {
      throw std::invalid_argument(fmt::format("--params: '{}' needs A1 topics (disjoint, uniform)", spec));
    }
    std::vector<double> coef;
    std::stringstream in(spec.substr(6));
    std::string item;
    while (std::getline(in, item, ',')) {
      try {
        size_t used = 0;
        coef.push_back(std::stod(item, &used));
        if (used != item.size() || !std::isfinite(coef.back())) coef.clear();
      } catch (const std::exception&) {
        coef.clear();
      }
      if (coef.empty()) break;
    }
    if (coef.size() != 3) {
      throw std::invalid_argument(fmt::format("--params: block:a,b,c needs three finite numbers, got '{}'", spec));
    }
    theory::TopicBlockMatrix M =
        theory::TopicBlockMatrix::Zero(scenario.topics.T, scenario.topics.m(), scenario.num_special);
    M.a = coef[0];
    M.b = coef[1];
    M.c = coef[2];
    return LinearPredictor{M.Dense(), theory::Vector::Zero(n)};
  }
  throw std::invalid_argument(
      fmt::format("--params must be zero, identity, random:SEED or block:a,b,c, got '{}'", spec));
}

LossResult EvaluateLoss(const LossRequest& request) {
  const theory::Scenario& scenario = request.scenario;
  const LinearPredictor predictor = ParseLinearPredictor(request.params, scenario);
  LossResult result;
  result.loss_kind = request.loss;
  result.params = request.params;
  result.scenario = scenario.name;
  if (request.method == LossMethod::kMonteCarlo) {
    theory::MonteCarloOptions options;
    options.documents = request.samples;
    options.seed = request.seed;
    options.threads = request.threads;
    const theory::ScalarEstimate estimate = theory::MonteCarloLoss(scenario, predictor, request.loss, options);
    result.loss = estimate.value;
    result.standard_error = estimate.standard_error;
    result.method = theory::NameOf(request.method);
    result.path = "monte-carlo";
    result.samples = request.samples;
    result.seed = request.seed;
    return result;
  }
  if (request.loss != theory::LossKind::kSquared) {
    throw std::invalid_argument(
        "--method exact: only the squared loss has a closed form; use --method mc for cross_entropy");
  }
  if (!scenario.prior.HasExactMoments()) {
    throw std::invalid_argument("--method exact: the prior has no exact second moment; use --method mc");
  }
  result.method = theory::NameOf(request.method);
  if (scenario.HasTopicBlockStructure()) {
    result.loss = theory::ExactSquaredLoss(theory::ExactStructuredSecondMoments(scenario), predictor);
    result.path = "structured";
  } else {
    result.loss = theory::ExactSquaredLoss(theory::ExactSecondMoments(scenario), predictor);
    result.path = "dense";
  }
  // Never print a silently wrong number: a scenario beyond what the formulas represent fails here.
  if (!std::isfinite(result.loss)) {
    throw std::runtime_error(fmt::format("exact loss is not finite ({}) on {}", result.loss, scenario.Describe()));
  }
  return result;
}

}  // namespace ldaformer::app
