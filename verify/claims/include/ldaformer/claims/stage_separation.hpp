// Claim D's predicate: from a small initialisation, ||W^V|| grows first (stage 1) and ||W^K||, ||W^Q||
// grow later (stage 2), with a separation that grows like log(1/eps) for initial scale eps.
//
// Norms are sampled at increasing times and read between samples by linear interpolation. A level is
// "reached" at the first time the interpolated norm is >= the level; a level never reached gives +inf.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "ldaformer/theory/names.hpp"

namespace ldaformer::claims {

// Norms of the trained matrices along one run, all sampled at the times t (strictly increasing). The
// first sample is the initialisation; times are used as given, so count them from it (t_0 = 0): t_KQ / t_V
// is a ratio of times.
struct NormTrajectory {
  std::vector<double> t;
  std::vector<double> norm_K, norm_Q, norm_V;  // ||W^K(t_k)||, ||W^Q(t_k)||, ||W^V(t_k)||
};

struct StageSeparation {
  // False when a time below is infinite or the ratio is undefined (no growth of ||W^V||, t_V <= 0, or a
  // zero initial ||W^K|| or ||W^Q||, for which tenfold growth means nothing); `reason` says which.
  bool applicable = false;
  std::string reason;

  // First time ||W^V(t)|| - ||W^V(t_0)|| >= (||W^V(t_end)|| - ||W^V(t_0)||) / 2 (or, with
  // ValueStageTime::kTenfold, ||W^V(t)|| >= 10 ||W^V(t_0)||).
  double t_V = std::numeric_limits<double>::infinity();
  // First time ||W^K|| >= 10 ||W^K(t_0)|| and ||W^Q|| >= 10 ||W^Q(t_0)|| both hold.
  double t_KQ = std::numeric_limits<double>::infinity();
  // First time ||W^K|| >= ||W^K(t_end)|| / 2 and ||W^Q|| >= ||W^Q(t_end)|| / 2 both hold: an absolute
  // level, unlike the tenfold growth, so it does not move with eps by construction.
  double t_KQ_half = std::numeric_limits<double>::infinity();
  // First time ||W^K|| and ||W^Q|| both reach StageOptions::common_level. Runs from different eps end at
  // different sizes, so only a level shared by all of them measures when stage 2 arrives in each.
  double t_KQ_level = std::numeric_limits<double>::infinity();
  // First time ||W^K|| and ||W^Q|| both reach StageOptions::attention_level: attention actually learned. A run
  // whose W^K, W^Q grow tenfold from a tiny start may still be far too small to change the attention.
  double t_KQ_attention = std::numeric_limits<double>::infinity();
  double ratio = std::numeric_limits<double>::quiet_NaN();   // t_KQ / t_V
  double margin = std::numeric_limits<double>::quiet_NaN();  // log(ratio): > 0 when the stages separate
  // (||W^V(t_end)|| - ||W^V(t_KQ)||) / ||W^V(t_KQ)||: near 0 when W^V is roughly flat in stage 2.
  double v_change_after_KQ = std::numeric_limits<double>::quiet_NaN();
  bool holds = false;  // applicable && margin > 0 (&& t_KQ_attention finite, when an attention level is set)
};

// When stage 1 is reached.
enum class ValueStageTime {
  // ||W^V|| has made half of its growth over the run: claim D's flows, where W^V grows in stage 1 and then
  // stays roughly flat.
  kHalfGrowth,
  // ||W^V|| has grown tenfold from its start, as t_KQ measures W^K and W^Q: for runs where W^V keeps growing
  // in stage 2 (the first layer of a residual multi-layer encoder), which would push the half-growth time late.
  kTenfold,
};

struct StageOptions {
  // > 0 sets t_KQ_level (otherwise it stays +inf).
  double common_level = 0.0;
  // > 0 sets t_KQ_attention and makes the predicate require it: a run that never reaches the level does not
  // hold, with that reason.
  double attention_level = 0.0;
  ValueStageTime value_time = ValueStageTime::kHalfGrowth;
};

// Throws std::invalid_argument naming the field unless every series has the length of t (>= 2), t is
// finite and strictly increasing, and every norm is finite and >= 0.
StageSeparation MeasureStageSeparation(const NormTrajectory& trajectory, const StageOptions& options = {});

// The least-squares line y = intercept + slope x, with R^2 = 1 - SS_res / SS_tot (1 when every y is equal).
struct LinearFit {
  bool applicable = false;  // false when a y is infinite or the x values do not vary; `reason` says which
  std::string reason;
  double slope = std::numeric_limits<double>::quiet_NaN();
  double intercept = std::numeric_limits<double>::quiet_NaN();
  double r_squared = std::numeric_limits<double>::quiet_NaN();
};

// How the stage times scale with the initial scale: each time fitted against x = log(1/eps).
struct StageScaling {
  LinearFit t_V, t_KQ, t_KQ_half, t_KQ_level;
};

// eps[k] is the initial scale of the run measured by separations[k]. Throws std::invalid_argument
// unless the sizes match, there are at least two runs, and every eps is finite and > 0.
StageScaling FitStageScaling(const std::vector<double>& eps, const std::vector<StageSeparation>& separations);

}  // namespace ldaformer::claims

namespace ldaformer::theory {

template <>
inline const NameTable<claims::ValueStageTime> kNames<claims::ValueStageTime> = {
    {claims::ValueStageTime::kHalfGrowth, "half_growth"}, {claims::ValueStageTime::kTenfold, "tenfold"}};

}  // namespace ldaformer::theory
