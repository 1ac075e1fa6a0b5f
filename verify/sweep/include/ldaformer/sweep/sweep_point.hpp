// One point of a sweep (a value for each varied path), what running the claims there gave, and the seed
// that makes it reproducible on its own.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ldaformer::sweep {

struct SweepPoint {
  int index = 0;                    // 0 .. grid size - 1 for the grid, then refinements in the order made
  int round = 0;                    // 0: the grid; k: the k-th refinement
  std::vector<std::string> values;  // one per varied path, YAML text
  std::uint64_t seed = 0;           // verify.seed at this point (PointSeed of the base seed and the values)

  // "topics.leak=0.3 masking.p_c=0.1": identifies the point (resume matches points by it).
  std::string Key(const std::vector<std::string>& paths) const;
};

// The seed of a point: the first draw of the Philox stream (base seed, 64-bit FNV-1a of the values), so it
// depends on the point only, never on the order points run in or on how many run at once.
std::uint64_t PointSeed(std::uint64_t base_seed, const std::vector<std::string>& values);

// One claim result at a point, as the sweep records it.
struct ClaimRow {
  std::string id;     // T1-identity, T2, T3-SAA, D, ...
  std::string claim;  // T1, T2, T3, D
  double margin = std::numeric_limits<double>::quiet_NaN();
  double standard_error = std::numeric_limits<double>::quiet_NaN();  // NaN: exact
  std::string status;  // a ClaimStatus name, or "error" when the point could not be computed
  std::string reason;  // ClaimResult::ReasonText(), or the error's message
  bool inside_hypotheses = true;
};

// Everything the sweep keeps of a point: its rows, and its wall time (the only field that differs
// between two runs of the same point).
struct SweepRecord {
  SweepPoint point;
  std::vector<ClaimRow> rows;
  double seconds = 0.0;
};

}  // namespace ldaformer::sweep
