#include "ldaformer/solvers/attention_flow.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/numeric/odeint.hpp>
#include <boost/random/normal_distribution.hpp>

#include "ldaformer/solvers/gradient_flow.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/rng.hpp"

namespace ldaformer::solvers {

using theory::Matrix;
// Aligned as Eigen's matrices: the sums of Eigen's vectorised kernels over the state's views start at the first
// aligned element, so an address that depends on the thread's allocation history would change their order.
using State = std::vector<double, Eigen::aligned_allocator<double>>;

theory::Matrix AttentionFlowTrajectory::S() const {
  return W_Q.transpose() * W_K / std::sqrt(static_cast<double>(W_K.rows()));
}

namespace {

// The state is [W_K | W_Q | W_V], each column-major.
struct Layout {
  Eigen::Index n, d_k;
  Eigen::Index size() const { return 2 * d_k * n + n * n; }
  Eigen::Map<const Matrix> K(const State& x) const { return {x.data(), d_k, n}; }
  Eigen::Map<const Matrix> Q(const State& x) const { return {x.data() + d_k * n, d_k, n}; }
  Eigen::Map<const Matrix> V(const State& x) const { return {x.data() + 2 * d_k * n, n, n}; }
  Eigen::Map<Matrix> K(State& x) const { return {x.data(), d_k, n}; }
  Eigen::Map<Matrix> Q(State& x) const { return {x.data() + d_k * n, d_k, n}; }
  Eigen::Map<Matrix> V(State& x) const { return {x.data() + 2 * d_k * n, n, n}; }
};

}  // namespace

AttentionFlowPoint InitialFlowPoint(int n, const AttentionFlowOptions& options) {
  if (!(options.eps > 0.0) || !std::isfinite(options.eps)) {
    throw std::invalid_argument(fmt::format("attention flow: eps must be finite and > 0, got {}", options.eps));
  }
  if (n < 1) throw std::invalid_argument(fmt::format("attention flow: n must be >= 1, got {}", n));
  const int d_k = options.d_k > 0 ? options.d_k : n;
  theory::Rng rng = theory::StreamFor(options.seed, 0);
  boost::random::normal_distribution<double> normal(0.0, options.eps / std::sqrt(static_cast<double>(n)));
  const auto draw = [&](int rows) {
    Matrix X(rows, n);
    for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = normal(rng);  // column-major order
    return X;
  };
  AttentionFlowPoint x;
  x.W_K = draw(d_k);
  x.W_Q = draw(d_k);
  x.W_V = draw(n);
  return x;
}

AttentionFlowTrajectory FlowAttentionLayer(const AttentionObjective& objective, const AttentionFlowOptions& options) {
  namespace odeint = boost::numeric::odeint;
  if (!(options.lambda_V >= 0.0) || !std::isfinite(options.lambda_V)) {
    throw std::invalid_argument(
        fmt::format("attention flow: lambda_V must be finite and >= 0, got {}", options.lambda_V));
  }
  const int n = objective.tokens().n();
  const AttentionFlowPoint start = InitialFlowPoint(n, options);
  const Layout layout{n, start.W_K.rows()};
  const double scale = 1.0 / std::sqrt(static_cast<double>(layout.d_k));

  State state(layout.size());
  layout.K(state) = start.W_K;
  layout.Q(state) = start.W_Q;
  layout.V(state) = start.W_V;

  AttentionFlowTrajectory trajectory;
  // The flow's products are n x n (n = 101 on the paper's scenario): OpenBLAS's second thread saves
  // little on them, and while it waits between calls it spins against ours (a claim runs flows in parallel).
  const theory::BlasThreadsScope one_blas_thread(1);
  // Scratch of the right-hand side, allocated once for the whole flow.
  Matrix S(n, n), G_S(n, n), G_V(n, n);
  const auto rhs = [&](const State& x, State& dxdt, double) {
    const auto K = layout.K(x), Q = layout.Q(x), V = layout.V(x);
    S.noalias() = scale * Q.transpose() * K;
    objective.Loss(S, V, options.loss, &G_S, &G_V);
    // theory::ScoreChainRule with E = I (dL/dW^K = W^Q G / sqrt(d_k), dL/dW^Q = W^K G^T / sqrt(d_k)),
    // written into the state's derivative directly, so that a right-hand side allocates nothing.
    layout.K(dxdt).noalias() = -scale * Q * G_S;
    layout.Q(dxdt).noalias() = -scale * K * G_S.transpose();
    layout.V(dxdt) = -G_V - 2 * options.lambda_V * V;
    ++trajectory.rhs_evaluations;
  };
  const auto observe = [&](const State& x, double t) {
    trajectory.t.push_back(t);
    trajectory.norm_K.push_back(layout.K(x).norm());
    trajectory.norm_Q.push_back(layout.Q(x).norm());
    trajectory.norm_V.push_back(layout.V(x).norm());
    trajectory.loss.push_back(objective.Loss(scale * layout.Q(x).transpose() * layout.K(x), layout.V(x), options.loss));
  };
  const std::vector<double> times = ObservationTimes(options.t_end, options.observations);
  auto stepper = odeint::make_dense_output(options.tolerance, options.tolerance, odeint::runge_kutta_dopri5<State>());
  odeint::integrate_times(stepper, rhs, state, times.begin(), times.end(), times[1] * 0.1, observe);
  trajectory.W_K = layout.K(state);
  trajectory.W_Q = layout.Q(state);
  trajectory.W_V = layout.V(state);
  return trajectory;
}

}  // namespace ldaformer::solvers
