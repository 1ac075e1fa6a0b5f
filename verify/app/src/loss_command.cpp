#include "ldaformer/app/loss_command.hpp"

#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/sim/checkpoint.hpp"
#include "ldaformer/theory/gaussian_matrix.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/rng.hpp"
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

theory::TransformerParams ParseTransformerParams(const std::string& spec, const theory::Scenario& scenario) {
  const int n = scenario.tokens().n();
  if (spec.rfind("checkpoint:", 0) == 0) {
    theory::TransformerParams params = sim::ReadCheckpoint(spec.substr(11)).state.params;
    if (params.n() != n) {
      throw std::invalid_argument(
          fmt::format("--params: '{}' has n = {} tokens, the scenario has n = {}", spec, params.n(), n));
    }
    return params;
  }
  if (spec.rfind("random:", 0) == 0) {
    const std::uint64_t seed = ParseSeed(spec.substr(7), spec);
    // One stream per matrix, so W^V does not change when the scale of W^K, W^Q does.
    auto gaussian = [&](int stream, double sd) {
      theory::Rng rng = theory::StreamFor(seed, stream);
      return theory::GaussianMatrix(n, n, sd, rng);
    };
    theory::TransformerParams params =
        theory::TransformerParams::UniformAttention(gaussian(2, 1.0 / std::sqrt(double(n))), n);
    params.W_K = gaussian(0, 1.0);
    params.W_Q = gaussian(1, 1.0);
    return params;
  }
  if (spec == "zero" || spec == "identity" || spec.rfind("block:", 0) == 0) {
    return theory::TransformerParams::UniformAttention(ParseLinearPredictor(spec, scenario).M);
  }
  throw std::invalid_argument(
      fmt::format("--params must be zero, identity, random:SEED, block:a,b,c or checkpoint:FILE, got '{}'", spec));
}

LossMethod DefaultMethod(const LossRequest& request) {
  const bool closed_form = request.model == LossModel::kLinear && request.loss == theory::LossKind::kSquared &&
                           request.scenario.prior.HasExactMoments();
  return closed_form ? LossMethod::kExact : LossMethod::kMonteCarlo;
}

namespace {

LossResult MonteCarloResult(const LossRequest& request) {
  theory::MonteCarloOptions options;
  options.documents = request.samples;
  options.seed = request.seed;
  options.threads = request.threads;
  const auto start = std::chrono::steady_clock::now();
  theory::ScalarEstimate estimate;
  if (request.model == LossModel::kTransformer) {
    options.targets = theory::TargetPositions::kSelected;
    estimate = theory::MonteCarloLoss(request.scenario, ParseTransformerParams(request.params, request.scenario),
                                      request.loss, options);
  } else {
    estimate = theory::MonteCarloLoss(request.scenario, ParseLinearPredictor(request.params, request.scenario),
                                      request.loss, options);
  }
  LossResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.loss = estimate.value;
  result.standard_error = estimate.standard_error;
  result.path = "monte-carlo";
  result.samples = request.samples;
  result.seed = request.seed;
  return result;
}

LossResult ExactResult(const LossRequest& request) {
  const theory::Scenario& scenario = request.scenario;
  if (request.model != LossModel::kLinear) {
    throw std::invalid_argument("--method exact: the full model has no closed form; use --method mc");
  }
  if (request.loss != theory::LossKind::kSquared) {
    throw std::invalid_argument(
        "--method exact: only the squared loss has a closed form; use --method mc for cross_entropy");
  }
  if (!scenario.prior.HasExactMoments()) {
    throw std::invalid_argument("--method exact: the prior has no exact second moment; use --method mc");
  }
  const LinearPredictor predictor = ParseLinearPredictor(request.params, scenario);
  LossResult result;
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

}  // namespace

LossResult EvaluateLoss(const LossRequest& request) {
  const LossMethod method = request.method.value_or(DefaultMethod(request));
  LossResult result = method == LossMethod::kMonteCarlo ? MonteCarloResult(request) : ExactResult(request);
  result.method = theory::NameOf(method);
  result.model = theory::NameOf(request.model);
  result.loss_kind = request.loss;
  result.params = request.params;
  result.scenario = request.scenario.name;
  return result;
}

}  // namespace ldaformer::app
