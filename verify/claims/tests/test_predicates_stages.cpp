// Claim D's predicate: stage times of norm trajectories with known answers, and the log(1/eps) fit.
#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include "ldaformer/claims/stage_separation.hpp"

namespace ldaformer::claims {
namespace {

using Catch::Contains;

constexpr double kTol = 1e-12;
// Linear interpolation of a smooth curve on a grid of step h misplaces a crossing by about
// h^2 |f''| / (8 |f'|): 1e-7 for the curves below at h = 1e-3.
constexpr double kGridTol = 1e-6;

NormTrajectory Sampled(double t_end, double h, const std::function<double(double)>& K,
                       const std::function<double(double)>& Q, const std::function<double(double)>& V) {
  NormTrajectory x;
  const int steps = static_cast<int>(std::lround(t_end / h));
  for (int k = 0; k <= steps; ++k) {
    const double t = k * h;
    x.t.push_back(t);
    x.norm_K.push_back(K(t));
    x.norm_Q.push_back(Q(t));
    x.norm_V.push_back(V(t));
  }
  return x;
}

TEST_CASE("Piecewise-linear trajectories give their exact crossing times", "[verify][D]") {
  NormTrajectory x;
  x.t = {0, 1, 2, 3, 4, 5};
  x.norm_V = {0.0, 0.4, 0.8, 1.0, 1.0, 1.0};      // half of the growth, 0.5, at 1 + 0.1 / 0.4
  x.norm_K = {0.01, 0.01, 0.02, 0.05, 0.2, 0.3};  // 10x = 0.1 at 3 + 0.05 / 0.15; half of 0.3 at 3 + 0.1 / 0.15
  x.norm_Q = {0.02, 0.02, 0.02, 0.1, 0.3, 0.4};   // 10x = 0.2 at 3.5; half of 0.4 at 3.5
  const StageSeparation r = MeasureStageSeparation(x);
  REQUIRE(r.applicable);
  CHECK(r.t_V == Approx(1.25).margin(kTol));
  CHECK(r.t_KQ == Approx(3.5).margin(kTol));
  CHECK(r.t_KQ_half == Approx(3.0 + 0.1 / 0.15).margin(kTol));
  CHECK(r.ratio == Approx(3.5 / 1.25).margin(kTol));
  CHECK(r.margin == Approx(std::log(2.8)).margin(kTol));
  CHECK(r.v_change_after_KQ == Approx(0.0).margin(kTol));
  CHECK(r.holds);
}

TEST_CASE("An attention level: tenfold growth from a tiny start is not learned attention", "[verify][D]") {
  // The same shape at two sizes: from 1e-6 the norms grow tenfold to 2e-5 and 3e-5, far below a level of 0.1;
  // from 1e-2 they reach 0.2 and 0.3. Stage times are the same; only the large run learned attention.
  NormTrajectory x;
  x.t = {0, 1, 2, 3, 4, 5};
  x.norm_V = {0.0, 0.4, 0.8, 1.0, 1.0, 1.0};
  const std::vector<double> K = {1, 1, 2, 5, 20, 30}, Q = {2, 2, 2, 10, 30, 40};
  for (double scale : {1e-6, 1e-2}) {
    INFO("scale " << scale);
    x.norm_K.clear();
    x.norm_Q.clear();
    for (double k : K) x.norm_K.push_back(scale * k);
    for (double q : Q) x.norm_Q.push_back(scale * q);
    const StageSeparation plain = MeasureStageSeparation(x);
    const StageSeparation leveled = MeasureStageSeparation(x, {0.0, 0.1});
    CHECK(plain.holds);
    CHECK(leveled.t_KQ == Approx(plain.t_KQ).margin(kTol));
    if (scale < 1e-3) {
      CHECK_FALSE(leveled.holds);
      CHECK(leveled.t_KQ_attention == std::numeric_limits<double>::infinity());
      CHECK_THAT(leveled.reason, Contains("never both reached the attention level 0.1"));
    } else {
      CHECK(leveled.holds);
      CHECK(leveled.t_KQ_attention == Approx(3.0 + 0.05 / 0.15).margin(kTol));  // K = 0.1 then; Q = 0.1 at 3
    }
  }
}

TEST_CASE("Stage 1 by tenfold growth: W^V that keeps growing in stage 2 does not move t_V", "[verify][D]") {
  // ||W^V|| leaves its start (0.1 -> 1 by t = 1) and grows again with attention (to 5 at t = 5): half of the
  // growth (2.55) comes at t = 3 + 1.55 / 2, after t_KQ = 3.5; tenfold growth comes at t = 1.
  NormTrajectory x;
  x.t = {0, 1, 2, 3, 4, 5};
  x.norm_V = {0.1, 1.0, 1.0, 1.0, 3.0, 5.0};
  x.norm_K = {0.01, 0.01, 0.02, 0.05, 0.2, 0.3};
  x.norm_Q = {0.02, 0.02, 0.02, 0.1, 0.3, 0.4};
  const StageSeparation half = MeasureStageSeparation(x);
  CHECK(half.t_V == Approx(3.0 + 1.55 / 2.0).margin(kTol));
  CHECK_FALSE(half.holds);
  StageOptions tenfold;
  tenfold.value_time = ValueStageTime::kTenfold;
  const StageSeparation r = MeasureStageSeparation(x, tenfold);
  CHECK(r.t_V == Approx(1.0).margin(kTol));
  CHECK(r.t_KQ == Approx(3.5).margin(kTol));
  CHECK(r.holds);
  // A W^V that never grows tenfold: not applicable, with the reason.
  x.norm_V = {0.1, 0.5, 0.9, 0.9, 0.9, 0.9};
  const StageSeparation flat = MeasureStageSeparation(x, tenfold);
  CHECK_FALSE(flat.applicable);
  CHECK_THAT(flat.reason, Contains("||W^V|| never grew tenfold"));
}

TEST_CASE("Both norms must be above their levels at the same time", "[verify][D]") {
  // ||W^K|| is tenfold at t = 1 but falls back; ||W^Q|| arrives in (1, 2). On [1, 2] K >= 10 for
  // s <= 10 / 15 and Q >= 10 for s >= 9 / 19.
  NormTrajectory x;
  x.t = {0, 1, 2, 3};
  x.norm_K = {1, 20, 5, 20};
  x.norm_Q = {1, 1, 20, 20};
  x.norm_V = {0, 1, 1, 1};
  const StageSeparation r = MeasureStageSeparation(x);
  CHECK(r.t_KQ == Approx(1.0 + 9.0 / 19.0).margin(kTol));
  CHECK(r.t_V == Approx(0.5).margin(kTol));

  // Without any overlap there is no such time.
  x.norm_Q = {1, 1, 1, 9};
  const StageSeparation never = MeasureStageSeparation(x);
  CHECK(never.t_KQ == std::numeric_limits<double>::infinity());
  CHECK_FALSE(never.applicable);
  CHECK_FALSE(never.holds);
  CHECK(std::isnan(never.margin));
  CHECK_THAT(never.reason, Contains("never both grew tenfold"));
}

TEST_CASE("Smooth trajectories: interpolated times within the grid error of the analytic ones", "[verify][D]") {
  const double eps = 1e-3, t_end = 20.0;
  const NormTrajectory x = Sampled(
      t_end, 1e-3, [&](double t) { return std::min(1.0, eps * std::exp(t)); },
      [&](double t) { return std::min(1.0, 2 * eps * std::exp(t)); }, [](double t) { return 1.0 - std::exp(-t); });
  const StageSeparation r = MeasureStageSeparation(x);
  REQUIRE(r.applicable);
  const double V_end = 1.0 - std::exp(-t_end);
  CHECK(r.t_V == Approx(-std::log(1.0 - V_end / 2)).margin(kGridTol));
  CHECK(r.t_KQ == Approx(std::log(10.0)).margin(kGridTol));
  CHECK(r.t_KQ_half == Approx(std::log(0.5 / eps)).margin(kGridTol));  // the later of K and Q
  CHECK(r.margin == Approx(std::log(std::log(10.0) / -std::log(1.0 - V_end / 2))).margin(kGridTol));
  CHECK(r.v_change_after_KQ == Approx((V_end - 0.9) / 0.9).margin(kGridTol));
  CHECK(r.holds);
}

TEST_CASE("Attention growing before W^V, or W^V not growing, fails the claim", "[verify][D]") {
  NormTrajectory x;
  x.t = {0, 1, 2, 3, 4};
  x.norm_K = {0.1, 2, 2, 2, 2};
  x.norm_Q = {0.1, 2, 2, 2, 2};
  x.norm_V = {0, 0, 0, 0.5, 1};
  const StageSeparation reversed = MeasureStageSeparation(x);
  CHECK(reversed.applicable);
  CHECK(reversed.margin < 0.0);
  CHECK_FALSE(reversed.holds);

  x.norm_V = {1, 1, 0.9, 0.8, 0.8};
  const StageSeparation flat = MeasureStageSeparation(x);
  CHECK_FALSE(flat.applicable);
  CHECK(flat.t_V == std::numeric_limits<double>::infinity());
  CHECK_THAT(flat.reason, Contains("||W^V|| did not grow"));

  x.norm_V = {0, 1, 1, 1, 1};
  x.norm_K = {0, 1, 1, 1, 1};
  const StageSeparation zero_start = MeasureStageSeparation(x);
  CHECK_FALSE(zero_start.applicable);
  CHECK_THAT(zero_start.reason, Contains("tenfold growth is undefined"));
}

TEST_CASE("Malformed trajectories are refused with the field named", "[verify][D]") {
  NormTrajectory x;
  x.t = {0, 1, 1};
  x.norm_K = x.norm_Q = x.norm_V = {1, 2, 3};
  CHECK_THROWS_WITH(MeasureStageSeparation(x), Contains("strictly increasing, got t[2]=1"));
  x.t = {0, 1, 2};
  x.norm_Q = {1, 2};
  CHECK_THROWS_WITH(MeasureStageSeparation(x), Contains("norm_Q must have one entry per time (3), got 2"));
  x.norm_Q = {1, -2, 3};
  CHECK_THROWS_WITH(MeasureStageSeparation(x), Contains("norm_Q[1] must be finite and >= 0"));
  x.t = {0};
  CHECK_THROWS_WITH(MeasureStageSeparation(x), Contains("at least 2 samples"));
}

TEST_CASE("FitStageScaling recovers planted slopes in log(1/eps)", "[verify][D]") {
  // ||W^K|| = ||W^Q|| = eps exp(t / 2) capped at 1: half the final norm at t = 2 log(0.5 / eps), slope 2.
  const std::vector<double> eps = {1e-2, 1e-3, 1e-4, 1e-5};
  std::vector<StageSeparation> runs;
  for (double e : eps) {
    const auto K = [e](double t) { return std::min(1.0, e * std::exp(t / 2)); };
    runs.push_back(MeasureStageSeparation(Sampled(30.0, 1e-3, K, K, [](double t) { return 1.0 - std::exp(-t); })));
  }
  const StageScaling fit = FitStageScaling(eps, runs);
  REQUIRE(fit.t_KQ_half.applicable);
  CHECK(fit.t_KQ_half.slope == Approx(2.0).margin(kGridTol));
  CHECK(fit.t_KQ_half.intercept == Approx(2 * std::log(0.5)).margin(kGridTol));
  CHECK(fit.t_KQ_half.r_squared == Approx(1.0).margin(kGridTol));
  // Tenfold growth from eps takes 2 log(10) whatever eps is, and t_V does not depend on eps.
  CHECK(fit.t_KQ.slope == Approx(0.0).margin(kGridTol));
  CHECK(fit.t_V.slope == 0.0);
  CHECK(fit.t_V.r_squared == 1.0);
}

TEST_CASE("FitStageScaling matches a generic least-squares fit on noisy times", "[verify][D]") {
  const std::vector<double> eps = {0.1, 0.03, 0.01, 0.003, 0.001};
  std::mt19937_64 gen(5);
  std::normal_distribution<double> noise(0.0, 0.3);
  std::vector<StageSeparation> runs(eps.size());
  Eigen::MatrixXd design(eps.size(), 2);
  Eigen::VectorXd y(eps.size());
  for (std::size_t k = 0; k < eps.size(); ++k) {
    runs[k].t_V = 1.0;
    runs[k].t_KQ = 3.0 + 1.5 * std::log(1 / eps[k]) + noise(gen);
    runs[k].t_KQ_half = runs[k].t_KQ;
    design(k, 0) = 1.0;
    design(k, 1) = std::log(1 / eps[k]);
    y(k) = runs[k].t_KQ;
  }
  const Eigen::VectorXd coef = design.colPivHouseholderQr().solve(y);
  const double r_squared = 1.0 - (y - design * coef).squaredNorm() / (y.array() - y.mean()).square().sum();
  const StageScaling fit = FitStageScaling(eps, runs);
  CHECK(fit.t_KQ.intercept == Approx(coef(0)).epsilon(1e-12));
  CHECK(fit.t_KQ.slope == Approx(coef(1)).epsilon(1e-12));
  CHECK(fit.t_KQ.r_squared == Approx(r_squared).epsilon(1e-12));
  CHECK(fit.t_KQ.r_squared < 1.0);
}

TEST_CASE("FitStageScaling refuses bad runs and reports unusable ones", "[verify][D]") {
  std::vector<StageSeparation> runs(2);
  runs[0].t_V = runs[1].t_V = 1.0;
  runs[0].t_KQ_half = runs[1].t_KQ_half = 2.0;
  runs[0].t_KQ = 3.0;  // runs[1].t_KQ stays infinite
  const StageScaling fit = FitStageScaling({1e-2, 1e-3}, runs);
  CHECK(fit.t_V.applicable);
  CHECK_FALSE(fit.t_KQ.applicable);
  CHECK(std::isnan(fit.t_KQ.slope));
  CHECK_THAT(fit.t_KQ.reason, Contains("t_KQ is not finite at eps=0.001"));
  CHECK_FALSE(FitStageScaling({1e-2, 1e-2}, runs).t_V.applicable);
  CHECK_THROWS_WITH(FitStageScaling({1e-2}, runs), Contains("eps has 1 values but there are 2"));
  CHECK_THROWS_WITH(FitStageScaling({1e-2, 0.0}, runs), Contains("eps[1] must be finite and > 0, got 0"));
  CHECK_THROWS_WITH(FitStageScaling({1e-2}, {runs[0]}), Contains("at least 2 runs, got 1"));
}

}  // namespace
}  // namespace ldaformer::claims
