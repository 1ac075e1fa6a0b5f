// What a sweep runs: the grid of one or two varied paths, and the bisection rounds that add points where a
// margin changes sign. Everything here is a pure function of the plan and of the records so far, so a
// resumed sweep makes the same points as one that ran through.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ldaformer/sweep/sweep_point.hpp"
#include "ldaformer/sweep/varied_path.hpp"

namespace ldaformer::sweep {

struct SweepPlan {
  std::vector<VariedPath> varied;  // one (a curve) or two (a grid)
  int refine = 0;                  // bisection rounds at sign changes (numeric paths only)
  std::uint64_t base_seed = 1;     // verify.seed of the base scenario; each point derives its own

  std::vector<std::string> Paths() const;
  // Throws std::invalid_argument naming the flag: not one or two paths, a path given twice, --refine
  // outside 0..30 or on a path that is not numeric, more than kMaxPoints grid points.
  void Validate() const;
  // Round 0: every combination, the first path's values outermost; index = position in this list.
  std::vector<SweepPoint> Grid() const;
  // Round `round` >= 1: the midpoint of every bracket (two neighbouring points along one numeric path,
  // the other path fixed, whose margins for some claim have opposite signs, or whose statuses are holds and
  // fails) among the records of earlier
  // rounds, once each, with indices from `first_index`. Empty when no bracket is left to split (or its
  // midpoint is no longer a new value at 12 significant digits).
  std::vector<SweepPoint> Refinements(const std::vector<SweepRecord>& records, int round, int first_index) const;
  // Records ordered by their values (numerically along numeric paths, in list order otherwise).
  std::vector<SweepRecord> Ordered(std::vector<SweepRecord> records) const;
};

// What changes across a boundary: the sign of the margin, or (margins of one sign) the status between holds
// and fails, when a condition of the claim other than the margin decides (T3's smallest preference 1e-3).
enum class Change { kMarginSign, kStatus };

// A change of one claim's result between two neighbouring points along one varied path.
struct Boundary {
  std::string id;  // the claim result, e.g. T3-SAA
  Change change = Change::kMarginSign;
  std::string path;        // the path along which the result changes
  std::string other_path;  // with two varied paths: the one held fixed, and its value
  std::string other_value;
  double low = 0.0, high = 0.0;  // the bracket's values, low < high
  double margin_low = 0.0, margin_high = 0.0;
  double standard_error_low = 0.0, standard_error_high = 0.0;  // NaN: exact
  // Where the straight line through the two margins crosses 0 (in log x on a log path); for a status change
  // the bracket's middle.
  double location = 0.0;
  // Both margins farther than kInconclusiveStandardErrors from 0, or exact: the change is not sampling noise
  // (a status change is always resolved: holds and fails are both verdicts beyond sampling error).
  bool resolved = false;
  int round = 0;  // the refinement round of the newer end point (0: both from the grid)
};

// Every bracket in the records, by path, then the other path's value, then claim order at the first point.
std::vector<Boundary> FindBoundaries(const SweepPlan& plan, const std::vector<SweepRecord>& records);

}  // namespace ldaformer::sweep

namespace ldaformer::theory {
template <>
inline const NameTable<sweep::Change> kNames<sweep::Change> = {{sweep::Change::kMarginSign, "sign"},
                                                               {sweep::Change::kStatus, "status"}};
}  // namespace ldaformer::theory
