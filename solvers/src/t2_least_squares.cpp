#include "ldaformer/solvers/t2_least_squares.hpp"

#include <stdexcept>
#include <string>

#include <Eigen/Cholesky>
#include <ceres/cost_function.h>
#include <ceres/problem.h>
#include <ceres/solver.h>

namespace ldaformer::solvers {

using theory::Matrix;
using theory::Vector;

namespace {

// r(w) = R w - target, for one row w of W.
class RowResidual final : public ceres::CostFunction {
 public:
  RowResidual(const Matrix& R, Vector target) : R_(R), target_(std::move(target)) {
    set_num_residuals(static_cast<int>(R.rows()));
    mutable_parameter_block_sizes()->push_back(static_cast<int>(R.cols()));
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    const Eigen::Map<const Vector> w(parameters[0], R_.cols());
    Eigen::Map<Vector>(residuals, R_.rows()) = R_ * w - target_;
    if (jacobians && jacobians[0]) {
      Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(jacobians[0], R_.rows(),
                                                                                         R_.cols()) = R_;
    }
    return true;
  }

 private:
  const Matrix& R_;
  Vector target_;
};

}  // namespace

T2LeastSquaresResult SolveT2LeastSquares(const theory::SecondMoments& moments, double lambda) {
  if (!(lambda >= 0.0)) throw std::invalid_argument("lambda must be >= 0, got " + std::to_string(lambda));
  Matrix regularised = moments.C;
  regularised.diagonal().array() += lambda;
  const Eigen::LLT<Matrix> llt(regularised);
  if (llt.info() != Eigen::Success) {
    throw std::domain_error("C + lambda I is not positive definite (lambda = " + std::to_string(lambda) +
                            "); use lambda > 0");
  }
  const Matrix R = llt.matrixU();
  // R^-T a_i for every row a_i of A, as the columns of R^-T A^T.
  const Matrix targets = llt.matrixL().solve(moments.A.transpose());
  const Eigen::Index n = moments.A.rows();
  // Ceres works on the rows of W in place: keep them as the columns of W^T, each contiguous.
  Matrix W_transposed = Matrix::Zero(n, n);
  ceres::Problem::Options problem_options;
  problem_options.cost_function_ownership = ceres::TAKE_OWNERSHIP;
  ceres::Problem problem(problem_options);
  for (Eigen::Index i = 0; i < n; ++i) {
    problem.AddResidualBlock(new RowResidual(R, targets.col(i)), nullptr, W_transposed.col(i).data());
  }
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::SPARSE_NORMAL_CHOLESKY;
  options.function_tolerance = 1e-16;
  options.gradient_tolerance = 1e-16;
  options.parameter_tolerance = 1e-16;
  options.max_num_iterations = 20;
  options.logging_type = ceres::SILENT;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);
  return T2LeastSquaresResult{W_transposed.transpose(), static_cast<int>(summary.iterations.size()),
                              ceres::TerminationTypeToString(summary.termination_type), summary.final_cost};
}

}  // namespace ldaformer::solvers
