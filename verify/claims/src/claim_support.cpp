#include "claim_support.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/second_moments.hpp"

namespace ldaformer::claims {

theory::Matrix T2ValueMatrix(const theory::Scenario& scenario, double lambda) {
  return scenario.HasTopicBlockStructure()
             ? solvers::OptimalValueMatrix(theory::ExactStructuredSecondMoments(scenario), lambda).Dense()
             : solvers::OptimalValueMatrix(theory::ExactSecondMoments(scenario), lambda);
}

ClaimResult NewClaimResult(const theory::Scenario& scenario, const std::string& claim, const std::string& id,
                           const std::string& method) {
  ClaimResult result;
  result.id = id;
  result.claim = claim;
  result.hypotheses = ClaimHypotheses(scenario, claim);
  result.method = method;
  return result;
}

ResultClock::ResultClock(Progress& progress, std::string id, int steps)
    : progress_(progress), id_(std::move(id)), start_(std::chrono::steady_clock::now()) {
  progress_.Begin(id_, steps);
}

void ResultClock::Finish(ClaimResult& result) const {
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  progress_.End(id_, result.seconds);
}

SolverRun CeresRun(const std::string& name, const std::string& termination) {
  return {name, termination == "CONVERGENCE", termination};
}

std::string CrossEntropySampleAverageMethod(const VerifyOptions& options) {
  return fmt::format("Ceres L-BFGS on the cross-entropy sample average ({} documents, lambda {})",
                     options.saa_documents, options.lambda);
}

void AddSolveDetails(const solvers::LinearSolveResult& solved, nlohmann::json& details) {
  details["loss"] = solved.loss;
  details["iterations"] = solved.iterations;
  details["termination"] = solved.termination;
}

std::uint64_t ReplicateSeed(std::uint64_t seed, std::uint64_t first_stream, int replicate) {
  theory::Rng stream = theory::StreamFor(seed, first_stream + static_cast<std::uint64_t>(replicate));
  return stream();
}

double SampleSd(const std::vector<double>& x) {
  double mean = 0.0;
  for (const double value : x) mean += value / static_cast<double>(x.size());
  double sum = 0.0;
  for (const double value : x) sum += (value - mean) * (value - mean);
  return std::sqrt(sum / static_cast<double>(x.size() - 1));
}

}  // namespace ldaformer::claims
