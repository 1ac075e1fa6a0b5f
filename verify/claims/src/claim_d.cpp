// Claim D: from a small initialisation of scale eps, gradient flow first grows W^V (stage 1) while W^K,
// W^Q stay near zero, then grows W^K, W^Q (stage 2), with a separation that widens like log(1/eps).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "claim_support.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/stage_separation.hpp"
#include "ldaformer/solvers/attention_flow.hpp"
#include "ldaformer/solvers/theta_quadrature.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/rng.hpp"

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
// t_end 1e5) one flow takes 1.0e4 to 1.1e4 of them, 0.4-0.7 ms each on the reference 2-core VM. A run several times
// above it (kEffortWarning x kUsualFlowEvaluations) is worth a warning while it happens: the flow is stiff there (short
// documents make attention saturate), or t_end is far past where the norms settle.
constexpr int kUsualFlowEvaluations = 12000;
constexpr int kEffortWarning = 4;

// Replicate r (1, 2, ...) redraws the seed of the whole run: its value is the first draw of the Philox stream
// (seed, kReplicateStreams + r), an index far above the documents' own streams (0 .. d_documents - 1 under
// `seed`), so each replicate's documents and initial direction are independent of the main run's and of
// each other's.
constexpr std::uint64_t kReplicateStreams = std::uint64_t{1} << 62;

// The objective D's flow descends under `seed`: at N -> infinity the limit itself (quasi-Monte Carlo over
// theta), otherwise the average over d_documents sampled documents.
solvers::AttentionObjective DObjective(const theory::Scenario& scenario, const VerifyOptions& options,
                                       std::uint64_t seed) {
  return scenario.length.IsInfinite()
             ? solvers::AttentionObjective::InfiniteLength(
                   scenario, solvers::ThetaQuadrature::ForPrior(scenario.prior, options.theta_points, seed))
             : solvers::AttentionObjective::SampleAverage(scenario, static_cast<int>(options.d_documents), seed);
}

// A flow and its wall time.
struct TimedTrajectory {
  solvers::AttentionFlowTrajectory trajectory;
  double seconds = 0.0;
};

// flow(k) for k = 0..count-1, on up to DefaultThreads() threads, one flow per thread at a time. Each flow
// is a deterministic function of its objective and options (its objective stays on one thread: D's
// objectives are small), so the trajectories are those of a sequential run; only the wall time differs.
template <class Flow>
std::vector<TimedTrajectory> FlowsInParallel(int count, Flow flow) {
  // Flows on every core: OpenBLAS's own threads would only spin against them.
  const theory::BlasThreadsScope one_blas_thread(1);
  std::vector<TimedTrajectory> out(count);
  // The first flow that fails stops the others at their next objective evaluation (a cancellation check
  // on each worker), so that Ctrl-C in Python, seen by the calling thread's check, ends the claim promptly.
  struct Stopped {};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::atomic<int> next{0};
  const auto work = [&] {
    for (int k = next++; k < count && !stop; k = next++) {
      try {
        const auto start = std::chrono::steady_clock::now();
        out[k].trajectory = flow(k);
        out[k].seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } catch (const Stopped&) {
        return;
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
        return;
      }
    }
  };
  const std::function<void()> stopped = [&] {
    if (stop) throw Stopped{};
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < std::min(count, theory::DefaultThreads()); ++w) {
    pool.emplace_back([&] {
      const theory::CancellationHook hook(stopped);
      work();
    });
  }
  work();
  for (std::thread& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
  return out;
}

// A warning when a flow took far more effort than usual.
void WarnOnEffort(const TimedTrajectory& run, double eps, Progress& progress) {
  if (run.trajectory.rhs_evaluations > kEffortWarning * kUsualFlowEvaluations) {
    progress.Warn(
        fmt::format("D: the flow from eps {:g} took {} right-hand-side evaluations ({:.0f} s), over {} "
                    "times the usual {}; consider a smaller verify.d_t_end or fewer verify.d_documents",
                    eps, run.trajectory.rhs_evaluations, run.seconds, kEffortWarning, kUsualFlowEvaluations));
  }
}

// The standard error of D's margin on a sample of documents: the sample SD of the margin over the main run
// and R = verify.d_replicates runs on independent samples (R + 1 values), which estimates the SD of one
// sample's margin -- the main margin's standard error. The replicates flow from the worst run's eps (its
// options in `flow`): the claim's margin is the smallest over runs that share one sample, and the spread of
// a minimum is that of the run attaining it when the others are not close below it. Each replicate is
// measured at the main runs' `common_level`, so its t_KQ_level is comparable with theirs. A replicate runs to
// t_end although its t_KQ comes much earlier: t_V is half of W^V's growth up to t_end. NaN when the main
// margin is (no replicates run), and with a note in `details` when there are no replicates (or N -> inf)
// or a replicate does not reach both stages.
double ReplicateStandardError(const theory::Scenario& scenario, const VerifyOptions& options,
                              solvers::AttentionFlowOptions flow, double margin, double common_level,
                              Progress& progress, nlohmann::json& details) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (scenario.length.IsInfinite()) {
    details["standard_error_note"] = "N -> infinity: the flow descends the limit objective, no document sample";
    return kNaN;
  }
  if (options.d_replicates == 0) {
    details["standard_error_note"] = "verify.d_replicates = 0: no replicate samples, no standard error";
    return kNaN;
  }
  if (std::isnan(margin)) return kNaN;  // a run without both stages: not_measurable says why
  details["replicate_eps"] = flow.eps;
  details["replicates"] = nlohmann::json::array();
  std::vector<double> margins = {margin};
  std::vector<std::string> unmeasured;
  // The replicates run in parallel; each one's seed draws its documents and its initial direction.
  const std::vector<TimedTrajectory> flows = FlowsInParallel(options.d_replicates, [&](int k) {
    solvers::AttentionFlowOptions replicate = flow;
    replicate.seed = ReplicateSeed(options.seed, kReplicateStreams, k + 1);
    return solvers::FlowAttentionLayer(DObjective(scenario, options, replicate.seed), replicate);
  });
  for (int r = 1; r <= options.d_replicates; ++r) {
    const std::uint64_t seed = ReplicateSeed(options.seed, kReplicateStreams, r);
    const solvers::AttentionFlowTrajectory& trajectory = flows[r - 1].trajectory;
    WarnOnEffort(flows[r - 1], flow.eps, progress);
    const StageSeparation separation = MeasureStageSeparation(Norms(trajectory), {common_level});
    nlohmann::json run = {{"seed", seed},
                          {"t_V", separation.t_V},
                          {"t_KQ", separation.t_KQ},
                          {"t_KQ_level", separation.t_KQ_level},
                          {"margin", separation.margin},
                          {"rhs_evaluations", trajectory.rhs_evaluations}};
    if (separation.applicable) {
      margins.push_back(separation.margin);
    } else {
      run["not_applicable"] = separation.reason;
      unmeasured.push_back(fmt::format("replicate {}: {}", r, separation.reason));
    }
    details["replicates"].push_back(run);
    progress.Step(static_cast<int>(options.d_eps.size()) + r);
  }
  if (!unmeasured.empty()) {
    details["standard_error_note"] = fmt::format("no standard error: {}", fmt::join(unmeasured, "; "));
    return kNaN;
  }
  return SampleSd(margins);
}

}  // namespace

std::vector<ClaimResult> CheckD(const theory::Scenario& scenario, const VerifyOptions& options, Progress& progress) {
  // At N -> infinity the flow descends the limit objective itself: no documents, so no sampling error to
  // replicate (the QMC error over theta is deterministic and small), and the standard error stays NaN.
  const int replicates = scenario.length.IsInfinite() ? 0 : options.d_replicates;
  // One step per eps, then one per replicate (a run without both stages skips the replicates: End() closes
  // the bar early).
  const ResultClock clock(progress, "D", static_cast<int>(options.d_eps.size()) + replicates);
  ClaimResult result = NewClaimResult(
      scenario, "D", "D",
      fmt::format("Odeint dopri5 flow of W^K, W^Q, W^V (squared loss + lambda |W^V|^2) on {}, eps {}, t_end {:g}",
                  scenario.length.IsInfinite() ? fmt::format("N -> inf ({} QMC thetas)", options.theta_points)
                                               : fmt::format("{} sampled documents", options.d_documents),
                  fmt::join(options.d_eps, "/"), options.d_t_end));
  const solvers::AttentionObjective objective = DObjective(scenario, options, options.seed);

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
  // The runs share the objective and the initial direction; they run in parallel.
  const std::vector<TimedTrajectory> runs = FlowsInParallel(static_cast<int>(options.d_eps.size()), [&](int k) {
    solvers::AttentionFlowOptions run = flow;
    run.eps = options.d_eps[k];
    return solvers::FlowAttentionLayer(objective, run);
  });
  for (size_t k = 0; k < runs.size(); ++k) {
    WarnOnEffort(runs[k], options.d_eps[k], progress);
    trajectories.push_back(runs[k].trajectory);
    common_level = std::min({common_level, trajectories.back().norm_K.back(), trajectories.back().norm_Q.back()});
    progress.Step(static_cast<int>(trajectories.size()));
  }
  // Half the smallest final size of W^K, W^Q: a level every run reaches, well above every eps.
  common_level /= 2;
  result.details["t_KQ_level"] = common_level;
  result.details["runs"] = nlohmann::json::array();
  double margin = std::numeric_limits<double>::infinity();
  size_t worst = 0;                     // the run with the smallest margin
  std::vector<std::string> unmeasured;  // the runs without both stages, with the predicate's reason
  for (size_t k = 0; k < trajectories.size(); ++k) {
    const solvers::AttentionFlowTrajectory& trajectory = trajectories[k];
    const StageSeparation separation = MeasureStageSeparation(Norms(trajectory), {common_level});
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
    if (separation.applicable && separation.margin < margin) worst = k;
    margin = separation.applicable && !std::isnan(margin) ? std::min(margin, separation.margin)
                                                          : std::numeric_limits<double>::quiet_NaN();
    for (Curve& curve : NormCurves(trajectory, options.d_eps[k])) plot.curves.push_back(std::move(curve));
    if (separation.applicable) {
      plot.markers.push_back({fmt::format("t_V, eps {:g}", options.d_eps[k]), separation.t_V});
      plot.markers.push_back({fmt::format("t_KQ, eps {:g}", options.d_eps[k]), separation.t_KQ});
    }
  }
  result.plots.push_back(plot);
  flow.eps = options.d_eps[worst];
  result.standard_error =
      ReplicateStandardError(scenario, options, flow, margin, common_level, progress, result.details);

  const StageScaling scaling = FitStageScaling(options.d_eps, separations);
  result.details["scaling_vs_log_inverse_eps"] = {{"t_V", FitJson(scaling.t_V)},
                                                  {"t_KQ", FitJson(scaling.t_KQ)},
                                                  {"t_KQ_half", FitJson(scaling.t_KQ_half)},
                                                  {"t_KQ_level", FitJson(scaling.t_KQ_level)}};
  // Every run separates its stages (the margin), and stage 2 (W^K, W^Q reaching the common level) comes
  // later as eps shrinks (the condition).
  result.margin = margin;
  result.conditions.push_back({"t_KQ_level slope vs log(1/eps)", scaling.t_KQ_level.slope, 0.0, /*lower_bound=*/true});
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
