#include "ldaformer/claims/stage_separation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::claims {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void CheckSeries(const std::vector<double>& series, const char* name, std::size_t size) {
  if (series.size() != size) {
    throw std::invalid_argument(
        fmt::format("stage separation: {} must have one entry per time ({}), got {}", name, size, series.size()));
  }
  for (std::size_t k = 0; k < size; ++k) {
    if (!std::isfinite(series[k]) || series[k] < 0.0) {
      throw std::invalid_argument(
          fmt::format("stage separation: {}[{}] must be finite and >= 0, got {}", name, k, series[k]));
    }
  }
}

void CheckTrajectory(const NormTrajectory& x) {
  if (x.t.size() < 2) {
    throw std::invalid_argument(fmt::format("stage separation: t must have at least 2 samples, got {}", x.t.size()));
  }
  for (std::size_t k = 0; k < x.t.size(); ++k) {
    if (!std::isfinite(x.t[k]) || (k > 0 && !(x.t[k] > x.t[k - 1]))) {
      throw std::invalid_argument(
          fmt::format("stage separation: t must be finite and strictly increasing, got t[{}]={}", k, x.t[k]));
    }
  }
  CheckSeries(x.norm_K, "norm_K", x.t.size());
  CheckSeries(x.norm_Q, "norm_Q", x.t.size());
  CheckSeries(x.norm_V, "norm_V", x.t.size());
}

// One series and the level it has to reach.
struct Requirement {
  const std::vector<double>* series;
  double level;
};

// The first time at which every linearly interpolated series is at or above its level, or +inf. On each
// sampling interval a linear series is above its level on a sub-interval [lo, hi] of s in [0, 1]; the
// first interval where these intersect gives the answer at their lower end.
double FirstTimeAllReach(const std::vector<double>& t, const std::vector<Requirement>& requirements) {
  for (std::size_t k = 1; k < t.size(); ++k) {
    double lo = 0.0, hi = 1.0;
    for (const Requirement& r : requirements) {
      const double f0 = (*r.series)[k - 1], f1 = (*r.series)[k];
      if (f1 == f0) {
        if (f0 < r.level) hi = -1.0;
      } else if (f1 > f0) {
        lo = std::max(lo, (r.level - f0) / (f1 - f0));
      } else {
        hi = std::min(hi, (f0 - r.level) / (f0 - f1));
      }
    }
    if (lo <= hi) return t[k - 1] + lo * (t[k] - t[k - 1]);
  }
  return kInf;
}

// The linear interpolation of the series at time s in [t_0, t_end].
double Interpolate(const std::vector<double>& t, const std::vector<double>& series, double s) {
  std::size_t k = 1;
  while (k + 1 < t.size() && t[k] < s) ++k;
  const double w = (s - t[k - 1]) / (t[k] - t[k - 1]);
  return series[k - 1] + w * (series[k] - series[k - 1]);
}

void AddReason(std::string& reasons, const std::string& reason) { reasons += (reasons.empty() ? "" : "; ") + reason; }

LinearFit FitLine(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& eps,
                  const char* name) {
  LinearFit fit;
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (!std::isfinite(y[k])) {
      fit.reason = fmt::format("{} is not finite at eps={}", name, eps[k]);
      return fit;
    }
  }
  // Sums are taken relative to the first point, so that equal times give exactly zero spread.
  const double K = static_cast<double>(x.size());
  double dx_mean = 0.0, dy_mean = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    dx_mean += (x[k] - x[0]) / K;
    dy_mean += (y[k] - y[0]) / K;
  }
  double sxx = 0.0, sxy = 0.0, syy = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double dx = x[k] - x[0] - dx_mean, dy = y[k] - y[0] - dy_mean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx == 0.0) {
    fit.reason = "the eps values must not all be equal";
    return fit;
  }
  fit.applicable = true;
  fit.slope = sxy / sxx;
  fit.intercept = y[0] + dy_mean - fit.slope * (x[0] + dx_mean);
  double ss_res = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    ss_res += std::pow(y[k] - y[0] - dy_mean - fit.slope * (x[k] - x[0] - dx_mean), 2);
  }
  fit.r_squared = syy > 0.0 ? 1.0 - ss_res / syy : 1.0;
  return fit;
}

}  // namespace

StageSeparation MeasureStageSeparation(const NormTrajectory& x, const StageOptions& options) {
  CheckTrajectory(x);
  const double K0 = x.norm_K.front(), Q0 = x.norm_Q.front(), V0 = x.norm_V.front();
  const double K1 = x.norm_K.back(), Q1 = x.norm_Q.back(), V1 = x.norm_V.back();
  StageSeparation r;
  if (options.value_time == ValueStageTime::kTenfold) {
    if (V0 > 0.0) {
      r.t_V = FirstTimeAllReach(x.t, {{&x.norm_V, 10 * V0}});
      if (!std::isfinite(r.t_V)) AddReason(r.reason, "||W^V|| never grew tenfold");
    } else {
      AddReason(r.reason, "the initial ||W^V|| is 0, so tenfold growth is undefined");
    }
  } else if (V1 > V0) {
    r.t_V = FirstTimeAllReach(x.t, {{&x.norm_V, V0 + (V1 - V0) / 2}});
  } else {
    AddReason(r.reason, fmt::format("||W^V|| did not grow ({} at the start, {} at the end)", V0, V1));
  }
  if (K0 > 0.0 && Q0 > 0.0) {
    r.t_KQ = FirstTimeAllReach(x.t, {{&x.norm_K, 10 * K0}, {&x.norm_Q, 10 * Q0}});
    if (!std::isfinite(r.t_KQ)) AddReason(r.reason, "||W^K|| and ||W^Q|| never both grew tenfold");
  } else {
    AddReason(r.reason, "an initial ||W^K|| or ||W^Q|| is 0, so tenfold growth is undefined");
  }
  r.t_KQ_half = FirstTimeAllReach(x.t, {{&x.norm_K, K1 / 2}, {&x.norm_Q, Q1 / 2}});
  if (options.common_level > 0.0) {
    r.t_KQ_level = FirstTimeAllReach(x.t, {{&x.norm_K, options.common_level}, {&x.norm_Q, options.common_level}});
  }
  if (std::isfinite(r.t_V) && !(r.t_V > 0.0)) {
    AddReason(r.reason, fmt::format("t_V = {} is not > 0, so t_KQ / t_V is undefined", r.t_V));
  }
  if (std::isfinite(r.t_KQ)) {
    const double V_at_KQ = Interpolate(x.t, x.norm_V, r.t_KQ);
    r.v_change_after_KQ = (V1 - V_at_KQ) / V_at_KQ;
  }
  r.applicable = r.reason.empty();
  if (r.applicable) {
    r.ratio = r.t_KQ / r.t_V;
    r.margin = std::log(r.ratio);
  }
  r.holds = r.applicable && r.margin > 0.0;
  const double attention_level = options.attention_level;
  if (attention_level > 0.0) {
    r.t_KQ_attention = FirstTimeAllReach(x.t, {{&x.norm_K, attention_level}, {&x.norm_Q, attention_level}});
    if (!std::isfinite(r.t_KQ_attention)) {
      r.holds = false;
      AddReason(r.reason, fmt::format("||W^K|| and ||W^Q|| never both reached the attention level {} (at the end "
                                      "{} and {})",
                                      attention_level, K1, Q1));
    }
  }
  return r;
}

StageScaling FitStageScaling(const std::vector<double>& eps, const std::vector<StageSeparation>& separations) {
  if (eps.size() != separations.size()) {
    throw std::invalid_argument(
        fmt::format("stage scaling: eps has {} values but there are {} separations", eps.size(), separations.size()));
  }
  if (eps.size() < 2) {
    throw std::invalid_argument(fmt::format("stage scaling: needs at least 2 runs, got {}", eps.size()));
  }
  std::vector<double> x, t_V, t_KQ, t_KQ_half, t_KQ_level;
  for (std::size_t k = 0; k < eps.size(); ++k) {
    if (!std::isfinite(eps[k]) || !(eps[k] > 0.0)) {
      throw std::invalid_argument(fmt::format("stage scaling: eps[{}] must be finite and > 0, got {}", k, eps[k]));
    }
    x.push_back(-std::log(eps[k]));
    t_V.push_back(separations[k].t_V);
    t_KQ.push_back(separations[k].t_KQ);
    t_KQ_half.push_back(separations[k].t_KQ_half);
    t_KQ_level.push_back(separations[k].t_KQ_level);
  }
  return StageScaling{FitLine(x, t_V, eps, "t_V"), FitLine(x, t_KQ, eps, "t_KQ"),
                      FitLine(x, t_KQ_half, eps, "t_KQ_half"), FitLine(x, t_KQ_level, eps, "t_KQ_level")};
}

}  // namespace ldaformer::claims
