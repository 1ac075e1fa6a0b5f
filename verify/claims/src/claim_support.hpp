// Pieces shared by the claim checks (claim_t1.cpp, claim_t2.cpp); not part of the public API.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ldaformer/claims/claim_result.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/cross_entropy_sample_average.hpp"
#include "ldaformer/claims/progress.hpp"
#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/solvers/linear_solver.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// The T2 optimum W^V = A (C + lambda I)^-1 of the scenario's exact second moments (in the topic-block
// algebra under A1): the value matrix T3 holds fixed. Requires scenario.prior.HasExactMoments().
theory::Matrix T2ValueMatrix(const theory::Scenario& scenario, double lambda);

// A result for `claim` with its hypotheses evaluated on the scenario.
ClaimResult NewClaimResult(const theory::Scenario& scenario, const std::string& claim, const std::string& id,
                           const std::string& method);

// Times one result for the progress display: Begin(id, steps) when constructed, End(id, seconds) when the
// result is finished, with the wall time stored in ClaimResult::seconds.
class ResultClock {
 public:
  ResultClock(Progress& progress, std::string id, int steps = 0);
  void Finish(ClaimResult& result) const;

 private:
  Progress& progress_;
  std::string id_;
  std::chrono::steady_clock::time_point start_;
};

// A Ceres solve as a result's solver run: converged when Ceres reports CONVERGENCE.
SolverRun CeresRun(const std::string& name, const std::string& termination);

// The method text of SolveCrossEntropySampleAverage (cross_entropy_sample_average.hpp).
std::string CrossEntropySampleAverageMethod(const VerifyOptions& options);

// loss, iterations and termination of a solve, into a result's details.
void AddSolveDetails(const solvers::LinearSolveResult& solved, nlohmann::json& details);

// The seed of replicate r (1, 2, ...) of a sample-average result: the first draw of the Philox stream
// (seed, first_stream + r). first_stream is far above the documents' own streams (0 .. documents - 1
// under `seed`), and different for each claim, so replicates are independent of the main run, of each
// other and of other claims' replicates.
std::uint64_t ReplicateSeed(std::uint64_t seed, std::uint64_t first_stream, int replicate);

// The sample standard deviation (divisor K - 1) of K >= 2 values.
double SampleSd(const std::vector<double>& x);

}  // namespace ldaformer::claims
