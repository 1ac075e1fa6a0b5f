// T2 solved by Ceres as a least-squares problem, an independent route to the closed form.
//
// With R^T R = C + lambda I (Cholesky) and w_i, a_i the i-th rows of W and A,
//     L(W) + lambda ||W||_F^2 = sum_i ||R w_i - R^-T a_i||^2 + const,
// so each row of W is one residual block (a cost functor with the constant Jacobian R), and Ceres'
// Levenberg-Marquardt with a sparse normal-equation solver minimises the sum. L-BFGS on the loss itself
// (linear_solver.hpp) stops near sqrt(machine epsilon / lambda) because its line search compares loss
// values; the residual form reaches the optimum to machine precision.
#pragma once

#include <string>

#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

struct T2LeastSquaresResult {
  theory::Matrix W;  // the minimiser W^V
  int iterations = 0;
  std::string termination;  // Ceres' termination type
  double final_cost = 0.0;  // Ceres' cost, 1/2 sum of squared residuals
};

// lambda >= 0; throws as RegularisedCholesky (closed_forms.hpp) does.
T2LeastSquaresResult SolveT2LeastSquares(const theory::SecondMoments& moments, double lambda);

}  // namespace ldaformer::solvers
