// Minimising a LinearObjective with Ceres (L-BFGS on a ceres::GradientProblem), through one of the
// parametrisations of M that the claims use:
//   value matrix     M = W          (T2: W^V with one-hot embedding; T1 with the identity decoder: W = E)
//   tied embedding   M = E^T E      (T1 with the tied decoder W^O = E^T and W^V = I; E is d x n, non-convex)
// The penalty lambda ||P||_F^2 is on the parameter matrix P (W or E).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ldaformer/solvers/linear_objective.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

enum class Parametrization { kValueMatrix, kTiedEmbedding };

struct LinearSolveOptions {
  Parametrization parametrization = Parametrization::kValueMatrix;
  int d = 0;            // rows of E for kTiedEmbedding (0: n); ignored for kValueMatrix
  double lambda = 0.0;  // penalty on the parameter matrix
  int max_iterations = 5000;
  double gradient_tolerance = 1e-13;
  double function_tolerance = 1e-16;
  int random_starts = 1;    // independent random initialisations; the best is returned
  double init_scale = 0.1;  // entries of a random start ~ N(0, init_scale^2 / n)
  std::uint64_t seed = 1;
};

struct LinearSolveResult {
  theory::Matrix parameters;       // W (n x n) or E (d x n)
  theory::Matrix M;                // the predictor matrix it gives
  double objective = 0.0;          // L(M) + lambda ||P||_F^2
  double loss = 0.0;               // L(M)
  double gradient_max_norm = 0.0;  // at the returned point
  int iterations = 0;
  std::string termination;               // Ceres' termination type of the best start
  std::vector<double> start_objectives;  // final objective of every start, in order
};

// The predictor matrix of `parameters` under `parametrization`.
theory::Matrix PredictorMatrix(Parametrization parametrization, const theory::Matrix& parameters);

// The objective L(M(P)) + lambda ||P||^2 and its gradient with respect to P (dL/dE = E (G + G^T) for the
// tied embedding, G = dL/dM).
double PenalisedObjective(const LinearObjective& objective, const LinearSolveOptions& options,
                          const theory::Matrix& parameters, theory::Matrix* gradient);

// Runs options.random_starts L-BFGS solves from seeded random starts and returns the best. With
// `initial` non-empty, the first start is `initial` instead.
LinearSolveResult SolveLinearPredictor(const LinearObjective& objective, const LinearSolveOptions& options,
                                       const theory::Matrix& initial = theory::Matrix());

}  // namespace ldaformer::solvers
