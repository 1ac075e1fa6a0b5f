// Claim D: from a small initialisation of scale eps, gradient flow first grows W^V (stage 1) while W^K,
// W^Q stay near zero, then grows W^K, W^Q (stage 2), with a separation that widens like log(1/eps).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "claim_support.hpp"
#include "ldaformer/solvers/attention_flow.hpp"
#include "ldaformer/solvers/theta_quadrature.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/stage_separation.hpp"

namespace ldaformer::claims {

namespace {

NormTrajectory Norms(const solvers::AttentionFlowTrajectory& flow) {
  return {flow.t, flow.norm_K, flow.norm_Q, flow.norm_V};
}

nlohmann::json FitJson(const LinearFit& fit) {
  if (!fit.applicable) return {{"applicable", false}, {"reason", fit.reason}};
  return {{"slope", fit.slope}, {"intercept", fit.intercept}, {"r_squared", fit.r_squared}};
}

// Norm curves of one run, from the first observation after t = 0 (the plot's time axis is logarithmic).
std::vector<Curve> NormCurves(const solvers::AttentionFlowTrajectory& flow, double eps) {
  std::vector<Curve> curves = {{fmt::format("|W^V|, eps {:g}", eps), {}, {}},
                               {fmt::format("|W^K|, eps {:g}", eps), {}, {}},
                               {fmt::format("|W^Q|, eps {:g}", eps), {}, {}}};
  for (size_t k = 1; k < flow.t.size(); ++k) {
    for (Curve& curve : curves) curve.x.push_back(flow.t[k]);
    curves[0].y.push_back(flow.norm_V[k]);
    curves[1].y.push_back(flow.norm_K[k]);
    curves[2].y.push_back(flow.norm_Q[k]);
  }
  return curves;
}

// The usual effort of one D flow, in right-hand-side evaluations of the dopri5 stepper (each one gradient of
// the attention objective): on the paper scenario at the defaults (100 documents, tolerance 1e-7,
// t_end 1e5) one flow takes 1.0e4 to 1.1e4 of them, ~35 s each on this machine. A run several times above
// it (kEffortWarning x kUsualFlowEvaluations) is worth a warning while it happens: the flow is stiff there
// (short documents make attention saturate), or t_end is far past where the norms settle.
constexpr int kUsualFlowEvaluations = 12000;
constexpr int kEffortWarning = 4;

}  // namespace

std::vector<ClaimResult> CheckD(const theory::Scenario& scenario, const VerifyOptions& options, Progress& progress) {
  const ResultClock clock(progress, "D", static_cast<int>(options.d_eps.size()));
  ClaimResult result = NewClaimResult(
      scenario, "D", "D",
      fmt::format("Odeint dopri5 flow of W^K, W^Q, W^V (squared loss + lambda |W^V|^2) on {}, eps {}, t_end {:g}",
                  scenario.length.IsInfinite() ? fmt::format("N -> inf ({} QMC thetas)", options.theta_points)
                                               : fmt::format("{} sampled documents", options.d_documents),
                  fmt::join(options.d_eps, "/"), options.d_t_end));
  // At N -> infinity the flow descends the limit objective itself (quasi-Monte Carlo over theta).
  const solvers::AttentionObjective objective =
      scenario.length.IsInfinite()
          ? solvers::AttentionObjective::InfiniteLength(
                scenario, solvers::ThetaQuadrature::ForPrior(scenario.prior, options.theta_points, options.seed))
          : solvers::AttentionObjective::SampleAverage(scenario, static_cast<int>(options.d_documents), options.seed);

  solvers::AttentionFlowOptions flow;
  flow.t_end = options.d_t_end;
  flow.d_k = options.d_key_dimension;
  flow.lambda_V = options.lambda;  // W^V settles at the T2 optimum instead of creeping on a finite sample
  flow.seed = options.seed;
  std::vector<StageSeparation> separations;
  ReportPlot plot =
      ReportPlot::LogLog("D-norms", "D: norms along the gradient flow from scale eps", "t", "Frobenius norm");
  std::vector<solvers::AttentionFlowTrajectory> trajectories;
  double common_level = std::numeric_limits<double>::infinity();
  for (const double eps : options.d_eps) {
    flow.eps = eps;
    const auto start = std::chrono::steady_clock::now();
    trajectories.push_back(solvers::FlowAttentionLayer(objective, flow));
    const solvers::AttentionFlowTrajectory& trajectory = trajectories.back();
    if (trajectory.rhs_evaluations > kEffortWarning * kUsualFlowEvaluations) {
      progress.Warn(fmt::format("D: the flow from eps {:g} took {} right-hand-side evaluations ({:.0f} s), over {} "
                                "times the usual {}; consider a smaller verify.d_t_end or fewer verify.d_documents",
                                eps, trajectory.rhs_evaluations,
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                                kEffortWarning, kUsualFlowEvaluations));
    }
    common_level = std::min({common_level, trajectory.norm_K.back(), trajectory.norm_Q.back()});
    progress.Step(static_cast<int>(trajectories.size()));
  }
  // Half the smallest final size of W^K, W^Q: a level every run reaches, well above every eps.
  common_level /= 2;
  result.details["t_KQ_level"] = common_level;
  result.details["runs"] = nlohmann::json::array();
  double margin = std::numeric_limits<double>::infinity();
  std::vector<std::string> unmeasured;  // the runs without both stages, with the predicate's reason
  for (size_t k = 0; k < trajectories.size(); ++k) {
    const solvers::AttentionFlowTrajectory& trajectory = trajectories[k];
    const StageSeparation separation = MeasureStageSeparation(Norms(trajectory), common_level);
    separations.push_back(separation);
    nlohmann::json run = {{"eps", options.d_eps[k]},
                          {"t_V", separation.t_V},
                          {"t_KQ", separation.t_KQ},
                          {"t_KQ_half", separation.t_KQ_half},
                          {"t_KQ_level", separation.t_KQ_level},
                          {"margin", separation.margin},
                          {"v_change_after_KQ", separation.v_change_after_KQ},
                          {"final_loss", trajectory.loss.back()},
                          {"rhs_evaluations", trajectory.rhs_evaluations}};
    if (!separation.applicable) {
      run["not_applicable"] = separation.reason;
      unmeasured.push_back(fmt::format("eps {:g}: {}", options.d_eps[k], separation.reason));
    }
    result.details["runs"].push_back(run);
    // The claim's margin is the worst run's; a run without both stages leaves it unmeasured (NaN).
    margin = separation.applicable && !std::isnan(margin) ? std::min(margin, separation.margin)
                                                          : std::numeric_limits<double>::quiet_NaN();
    for (Curve& curve : NormCurves(trajectory, options.d_eps[k])) plot.curves.push_back(std::move(curve));
    if (separation.applicable) {
      plot.markers.push_back({fmt::format("t_V, eps {:g}", options.d_eps[k]), separation.t_V});
      plot.markers.push_back({fmt::format("t_KQ, eps {:g}", options.d_eps[k]), separation.t_KQ});
    }
  }
  result.plots.push_back(plot);

  const StageScaling scaling = FitStageScaling(options.d_eps, separations);
  result.details["scaling_vs_log_inverse_eps"] = {
      {"t_V", FitJson(scaling.t_V)}, {"t_KQ", FitJson(scaling.t_KQ)}, {"t_KQ_half", FitJson(scaling.t_KQ_half)},
      {"t_KQ_level", FitJson(scaling.t_KQ_level)}};
  // Every run separates its stages (the margin), and stage 2 (W^K, W^Q reaching the common level) comes
  // later as eps shrinks (the condition).
  result.margin = margin;
  result.conditions.push_back(
      {"t_KQ_level slope vs log(1/eps)", scaling.t_KQ_level.slope, 0.0, /*lower_bound=*/true});
  if (std::isnan(margin)) {
    // Mostly a horizon too short for stage 2; an initialisation that is not small cannot grow tenfold at all.
    result.not_measurable = fmt::format("a run did not reach both stages by t_end = {:g} ({}): raise verify.d_t_end",
                                        options.d_t_end, fmt::join(unmeasured, "; "));
  } else if (!scaling.t_KQ_level.applicable) {
    // Both parts make the conclusion: without the slope it cannot be judged either way.
    result.details["worst_run_margin"] = margin;
    result.margin = std::numeric_limits<double>::quiet_NaN();
    result.not_measurable = "the stage-2 times do not fit a line in log(1/eps): " + scaling.t_KQ_level.reason;
  }
  clock.Finish(result);
  return {result};
}

}  // namespace ldaformer::claims
