#include "ldaformer/solvers/attention_solver.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <ceres/ceres.h>
#include <fmt/format.h>
#include <Eigen/Eigenvalues>

namespace ldaformer::solvers {

namespace {

using theory::Matrix;
using theory::TopicBlockMatrix;
using theory::Vector;

// The coefficients of a TopicBlockMatrix as one parameter vector [a, b, c, f, g, vec(S)].
int CoefficientCount(int s) { return 3 + 2 * s + s * s; }

void Pack(const TopicBlockMatrix& x, double* p) {
  const int s = x.s();
  p[0] = x.a;
  p[1] = x.b;
  p[2] = x.c;
  Eigen::Map<Vector>(p + 3, s) = x.f;
  Eigen::Map<Vector>(p + 3 + s, s) = x.g;
  Eigen::Map<Matrix>(p + 3 + 2 * s, s, s) = x.S;
}

TopicBlockMatrix Unpack(const double* p, int T, int m, int s) {
  TopicBlockMatrix x = TopicBlockMatrix::Zero(T, m, s);
  x.a = p[0];
  x.b = p[1];
  x.c = p[2];
  x.f = Eigen::Map<const Vector>(p + 3, s);
  x.g = Eigen::Map<const Vector>(p + 3 + s, s);
  x.S = Eigen::Map<const Matrix>(p + 3 + 2 * s, s, s);
  return x;
}

// The penalised loss L(S) + lambda |S|_F^2 and its dense gradient (when `gradient` is non-null).
double PenalisedLoss(const AttentionObjective& objective, const Matrix& W_V, theory::LossKind loss, double lambda,
                     const Matrix& S, Matrix* gradient) {
  const double value = objective.Loss(S, W_V, loss, gradient, nullptr) + lambda * S.squaredNorm();
  if (gradient) *gradient += 2.0 * lambda * S;
  return value;
}

class FullScoresFunction : public ceres::FirstOrderFunction {
 public:
  FullScoresFunction(const AttentionObjective& objective, const Matrix& W_V, theory::LossKind loss, double lambda)
      : objective_(objective), W_V_(W_V), loss_(loss), lambda_(lambda), n_(objective.tokens().n()) {}

  bool Evaluate(const double* parameters, double* cost, double* gradient) const override {
    const Matrix S = Eigen::Map<const Matrix>(parameters, n_, n_);
    Matrix G;
    *cost = PenalisedLoss(objective_, W_V_, loss_, lambda_, S, gradient ? &G : nullptr);
    if (gradient) Eigen::Map<Matrix>(gradient, n_, n_) = G;
    return std::isfinite(*cost);
  }
  int NumParameters() const override { return n_ * n_; }

 private:
  const AttentionObjective& objective_;
  const Matrix& W_V_;
  theory::LossKind loss_;
  double lambda_;
  int n_;
};

class TopicBlockScoresFunction : public ceres::FirstOrderFunction {
 public:
  TopicBlockScoresFunction(const AttentionObjective& objective, const Matrix& W_V, theory::LossKind loss, double lambda,
                           int T, int m, int s)
      : objective_(objective), W_V_(W_V), loss_(loss), lambda_(lambda), T_(T), m_(m), s_(s) {}

  bool Evaluate(const double* parameters, double* cost, double* gradient) const override {
    const Matrix S = Unpack(parameters, T_, m_, s_).Dense();
    Matrix G;
    *cost = PenalisedLoss(objective_, W_V_, loss_, lambda_, S, gradient ? &G : nullptr);
    if (gradient) Pack(theory::CoefficientGradient(TopicBlockAverage(G, T_, m_)), gradient);
    return std::isfinite(*cost);
  }
  int NumParameters() const override { return CoefficientCount(s_); }

 private:
  const AttentionObjective& objective_;
  const Matrix& W_V_;
  theory::LossKind loss_;
  double lambda_;
  int T_, m_, s_;
};

void RequireValueMatrix(const AttentionObjective& objective, const Matrix& W_V) {
  const int n = objective.tokens().n();
  if (W_V.rows() != n || W_V.cols() != n) {
    throw std::invalid_argument(fmt::format("W_V must be {}x{}, got {}x{}", n, n, W_V.rows(), W_V.cols()));
  }
}

// Runs L-BFGS on `function` (owned by the problem) from `parameters`, in place.
ceres::GradientProblemSolver::Summary Minimise(ceres::FirstOrderFunction* function,
                                               const AttentionSolverOptions& options, double* parameters) {
  ceres::GradientProblem problem(function);
  ceres::GradientProblemSolver::Options ceres_options;
  ceres_options.line_search_direction_type = ceres::LBFGS;
  ceres_options.max_lbfgs_rank = options.lbfgs_rank;
  ceres_options.max_num_iterations = options.max_iterations;
  ceres_options.function_tolerance = options.function_tolerance;
  ceres_options.gradient_tolerance = options.gradient_tolerance;
  ceres_options.parameter_tolerance = options.parameter_tolerance;
  ceres_options.logging_type = ceres::SILENT;
  ceres::GradientProblemSolver::Summary summary;
  ceres::Solve(ceres_options, problem, parameters, &summary);
  return summary;
}

void FillSummary(const ceres::GradientProblemSolver::Summary& summary, double lambda, AttentionSolution& out) {
  out.penalised_loss = summary.final_cost;
  out.loss = summary.final_cost - lambda * out.S.squaredNorm();
  out.iterations = static_cast<int>(summary.iterations.size()) - 1;  // iteration 0 is the start
  out.gradient_norm = summary.iterations.empty() ? 0.0 : summary.iterations.back().gradient_norm;
  out.termination = ceres::TerminationTypeToString(summary.termination_type);
  out.message = summary.message;
}

}  // namespace

void AttentionSolverOptions::Validate() const {
  const auto require_non_negative = [](const char* field, double value) {
    if (!(std::isfinite(value) && value >= 0.0)) {
      throw std::invalid_argument(fmt::format("solver.{} must be finite and >= 0, got {}", field, value));
    }
  };
  require_non_negative("function_tolerance", function_tolerance);
  require_non_negative("gradient_tolerance", gradient_tolerance);
  require_non_negative("parameter_tolerance", parameter_tolerance);
  require_non_negative("lambda", lambda);
  if (max_iterations < 1) {
    throw std::invalid_argument(fmt::format("solver.max_iterations must be >= 1, got {}", max_iterations));
  }
  if (lbfgs_rank < 1) throw std::invalid_argument(fmt::format("solver.lbfgs_rank must be >= 1, got {}", lbfgs_rank));
}

AttentionSolution SolveFullScores(const AttentionObjective& objective, const Matrix& W_V, theory::LossKind loss,
                                  const AttentionSolverOptions& options, const Matrix& S_initial) {
  options.Validate();
  RequireValueMatrix(objective, W_V);
  const int n = objective.tokens().n();
  AttentionSolution out;
  out.S = S_initial.size() == 0 ? Matrix::Zero(n, n) : S_initial;
  if (out.S.rows() != n || out.S.cols() != n) {
    throw std::invalid_argument(
        fmt::format("S_initial must be {}x{}, got {}x{}", n, n, S_initial.rows(), S_initial.cols()));
  }
  const auto summary = Minimise(new FullScoresFunction(objective, W_V, loss, options.lambda), options, out.S.data());
  FillSummary(summary, options.lambda, out);
  return out;
}

AttentionSolution SolveTopicBlockScores(const AttentionObjective& objective, const Matrix& W_V, theory::LossKind loss,
                                        const AttentionSolverOptions& options, const TopicBlockMatrix& initial) {
  options.Validate();
  RequireValueMatrix(objective, W_V);
  const theory::TokenSpace tokens = objective.tokens();
  if (initial.v() != tokens.v || initial.s() != tokens.num_special || initial.f.size() != initial.s() ||
      initial.g.size() != initial.s()) {
    throw std::invalid_argument(
        fmt::format("initial topic-block scores must have T m = v = {} and s = num_special = {}, got T={}, m={}, s={}",
                    tokens.v, tokens.num_special, initial.T, initial.m, initial.s()));
  }
  std::vector<double> parameters(CoefficientCount(initial.s()));
  Pack(initial, parameters.data());
  const auto summary =
      Minimise(new TopicBlockScoresFunction(objective, W_V, loss, options.lambda, initial.T, initial.m, initial.s()),
               options, parameters.data());
  AttentionSolution out;
  out.coefficients = Unpack(parameters.data(), initial.T, initial.m, initial.s());
  out.S = out.coefficients.Dense();
  FillSummary(summary, options.lambda, out);
  return out;
}

TopicBlockMatrix TopicBlockAverage(const Matrix& X, int T, int m) {
  const int v = T * m;
  const int s = static_cast<int>(X.rows()) - v;
  if (T < 1 || m < 1 || s < 0 || X.cols() != X.rows()) {
    throw std::invalid_argument(
        fmt::format("TopicBlockAverage needs a square matrix with at least T m rows, got {}x{}, T={}, m={}", X.rows(),
                    X.cols(), T, m));
  }
  const auto words = X.topLeftCorner(v, v);
  const double diagonal_sum = words.diagonal().sum();
  double same_topic_sum = 0.0;
  for (int t = 0; t < T; ++t) same_topic_sum += words.block(t * m, t * m, m, m).sum();
  same_topic_sum -= diagonal_sum;
  const double other_topic_sum = words.sum() - same_topic_sum - diagonal_sum;
  // Class averages; a class that is empty (m = 1: no same-topic pair; T = 1: no other topic) takes the
  // average of the class it merges with, so that the coefficients reproduce the non-empty classes.
  const double diagonal = diagonal_sum / v;
  const double same_topic = m > 1 ? same_topic_sum / (double(v) * (m - 1)) : diagonal;
  const double other_topic = T > 1 ? other_topic_sum / (double(v) * (v - m)) : same_topic;
  TopicBlockMatrix x = TopicBlockMatrix::Zero(T, m, s);
  x.a = diagonal - same_topic;
  x.b = same_topic - other_topic;
  x.c = other_topic;
  x.f = X.topRightCorner(v, s).colwise().mean().transpose();
  x.g = X.bottomLeftCorner(s, v).rowwise().mean();
  x.S = X.bottomRightCorner(s, s);
  return x;
}

TopicBlockMatrix TopicBlockScoresStandardErrors(const AttentionObjective& objective, const Matrix& W_V,
                                                theory::LossKind loss, const TopicBlockMatrix& optimum) {
  RequireValueMatrix(objective, W_V);
  const int T = optimum.T, m = optimum.m, s = optimum.s();
  const int p = CoefficientCount(s);
  const auto gradient = [&](const AttentionObjective& part, const Vector& x) {
    Matrix G;
    part.Loss(Unpack(x.data(), T, m, s).Dense(), W_V, loss, &G, nullptr);
    Vector g(p);
    Pack(theory::CoefficientGradient(TopicBlockAverage(G, T, m)), g.data());
    return g;
  };
  Vector x(p);
  Pack(optimum, x.data());

  Matrix H(p, p);
  for (int i = 0; i < p; ++i) {
    const double h = 1e-4 * std::max(1.0, std::abs(x(i)));
    Vector up = x, down = x;
    up(i) += h;
    down(i) -= h;
    H.col(i) = (gradient(objective, up) - gradient(objective, down)) / (2 * h);
  }
  H = 0.5 * (H + H.transpose()).eval();

  // The objective is sum_d W_d L_d / W: document d contributes D W_d grad L_d / W to the mean gradient.
  const auto& documents = objective.documents();
  const double D = static_cast<double>(documents.size());
  Matrix V = Matrix::Zero(p, p);
  Vector mean = Vector::Zero(p);
  for (const AttentionDocument& document : documents) {
    if (document.queries.empty()) continue;  // contributes a zero vector
    const AttentionObjective part(objective.tokens(), {document}, 1);
    const Vector contribution = D * part.total_weight() / objective.total_weight() * gradient(part, x);
    V += contribution * contribution.transpose() / D;
    mean += contribution / D;
  }
  V -= mean * mean.transpose();

  const Eigen::SelfAdjointEigenSolver<Matrix> eigen(H);
  const Vector& lambda = eigen.eigenvalues();
  Vector inverse = Vector::Zero(p);
  for (int i = 0; i < p; ++i) {
    if (lambda(i) > 1e-9 * lambda.cwiseAbs().maxCoeff()) inverse(i) = 1.0 / lambda(i);
  }
  const Matrix H_plus = eigen.eigenvectors() * inverse.asDiagonal() * eigen.eigenvectors().transpose();
  const Vector variance = (H_plus * V * H_plus / D).diagonal();
  return Unpack(variance.cwiseMax(0.0).cwiseSqrt().eval().data(), T, m, s);
}

}  // namespace ldaformer::solvers
