#include "ldaformer/solvers/gradient_flow.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/numeric/odeint.hpp>

namespace ldaformer::solvers {

using theory::Matrix;
// Aligned as Eigen's matrices: the sums of Eigen's vectorised kernels over the state's views start at the first
// aligned element, so an address that depends on the thread's allocation history would change their order.
using State = std::vector<double, Eigen::aligned_allocator<double>>;

std::vector<double> ObservationTimes(double t_end, int count) {
  // Odeint compares times with an absolute tolerance of 2.2e-16 and would interpolate before its first
  // step if the first observation (t_end * 1e-4) were within it.
  if (!(t_end >= 1e-9) || !std::isfinite(t_end) || count < 2) {
    throw std::invalid_argument(
        fmt::format("flow needs a finite t_end >= 1e-9 and >= 2 observations, got t_end={} and {}", t_end, count));
  }
  std::vector<double> times = {0.0};
  const double first = t_end * 1e-4;
  for (int k = 0; k < count; ++k) times.push_back(first * std::pow(t_end / first, k / double(count - 1)));
  return times;
}

FlowTrajectory FlowLinearPredictor(const LinearObjective& objective, const LinearSolveOptions& parametrisation,
                                   const Matrix& initial, const FlowOptions& options) {
  namespace odeint = boost::numeric::odeint;
  const Eigen::Index rows = initial.rows(), cols = initial.cols();
  FlowTrajectory trajectory;
  const auto rhs = [&](const State& p, State& dpdt, double) {
    Matrix gradient;
    PenalisedObjective(objective, parametrisation, Eigen::Map<const Matrix>(p.data(), rows, cols), &gradient);
    Eigen::Map<Matrix>(dpdt.data(), rows, cols) = -gradient;
    ++trajectory.rhs_evaluations;
  };
  const auto observe = [&](const State& p, double t) {
    const Eigen::Map<const Matrix> P(p.data(), rows, cols);
    trajectory.t.push_back(t);
    trajectory.objective.push_back(PenalisedObjective(objective, parametrisation, P, nullptr));
    trajectory.norm.push_back(P.norm());
  };
  State state(initial.data(), initial.data() + initial.size());
  const std::vector<double> times = ObservationTimes(options.t_end, options.observations);
  auto stepper = odeint::make_dense_output(options.absolute_tolerance, options.relative_tolerance,
                                           odeint::runge_kutta_dopri5<State>());
  odeint::integrate_times(stepper, rhs, state, times.begin(), times.end(), times[1] * 0.1, observe);
  trajectory.final_parameters = Eigen::Map<const Matrix>(state.data(), rows, cols);
  return trajectory;
}

}  // namespace ldaformer::solvers
