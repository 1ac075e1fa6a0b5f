// Gradient flow dP/dt = -grad_P [L(M(P)) + lambda ||P||^2] of a linear-predictor objective
// (linear_solver.hpp's parametrisations), integrated by Boost.Odeint's adaptive Dormand-Prince 5(4)
// stepper with dense output. Used for T2: from any start, the flow of the strictly convex penalised loss
// converges to the closed form A (C + lambda I)^-1.
#pragma once

#include <vector>

#include "ldaformer/solvers/linear_solver.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

struct FlowOptions {
  double t_end = 1000.0;
  int observations = 60;  // log-spaced observation times in [t_end / 1e4, t_end], plus t = 0
  double absolute_tolerance = 1e-10;
  double relative_tolerance = 1e-10;
};

// The state of a flow at its observation times.
struct FlowTrajectory {
  std::vector<double> t;
  std::vector<double> objective;    // L(M(P(t))) + lambda ||P(t)||^2
  std::vector<double> norm;         // ||P(t)||_F
  theory::Matrix final_parameters;  // P(t_end)
  int rhs_evaluations = 0;
};

FlowTrajectory FlowLinearPredictor(const LinearObjective& objective, const LinearSolveOptions& parametrisation,
                                   const theory::Matrix& initial, const FlowOptions& options);

// The observation times: 0, then `count` log-spaced points ending at t_end.
std::vector<double> ObservationTimes(double t_end, int count);

}  // namespace ldaformer::solvers
