#include "ldaformer/sweep/sweep_plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/claims/claim_result.hpp"

namespace ldaformer::sweep {

namespace {

double Number(const std::string& text) { return std::stod(text); }

// The position of a record along path p: its number, or the value's place in a list of names.
double Coordinate(const VariedPath& path, const std::string& value) {
  if (path.Numeric()) return Number(value);
  const auto it = std::find(path.values.begin(), path.values.end(), value);
  return static_cast<double>(it - path.values.begin());
}

const ClaimRow* Row(const SweepRecord& record, const std::string& id) {
  for (const ClaimRow& row : record.rows) {
    if (row.id == id) return &row;
  }
  return nullptr;
}

bool Positive(double margin) { return margin > 0.0; }

// The statuses between which a status boundary lies: inside the hypotheses, a verdict either way.
bool Judged(const std::string& status) {
  return status == theory::NameOf(claims::ClaimStatus::kHolds) || status == theory::NameOf(claims::ClaimStatus::kFails);
}

// Two neighbouring records along path p (the other path fixed) whose margins for claim `id` differ in sign,
// or whose statuses are holds and fails with margins of one sign (a condition of the claim decides).
struct Bracket {
  int path = 0;
  std::string id;
  Change change = Change::kMarginSign;
  const SweepRecord* low = nullptr;
  const SweepRecord* high = nullptr;
};

std::vector<Bracket> Brackets(const SweepPlan& plan, const std::vector<SweepRecord>& records) {
  std::vector<Bracket> out;
  for (int p = 0; p < static_cast<int>(plan.varied.size()); ++p) {
    if (!plan.varied[p].Numeric()) continue;
    // Records grouped by the other path's value (one group for a 1-D sweep), in the grid's order.
    std::map<double, std::vector<const SweepRecord*>> groups;
    for (const SweepRecord& r : records) {
      const double other = plan.varied.size() == 2 ? Coordinate(plan.varied[1 - p], r.point.values[1 - p]) : 0.0;
      groups[other].push_back(&r);
    }
    for (auto& [other, group] : groups) {
      std::stable_sort(group.begin(), group.end(), [&](const SweepRecord* a, const SweepRecord* b) {
        return Number(a->point.values[p]) < Number(b->point.values[p]);
      });
      std::vector<std::string> ids;  // claim order as at the first point of the group that has rows
      for (const SweepRecord* r : group) {
        for (const ClaimRow& row : r->rows) {
          if (std::find(ids.begin(), ids.end(), row.id) == ids.end()) ids.push_back(row.id);
        }
      }
      for (const std::string& id : ids) {
        const SweepRecord* previous = nullptr;
        for (const SweepRecord* r : group) {
          const ClaimRow* row = Row(*r, id);
          if (!row || !std::isfinite(row->margin)) continue;
          if (previous) {
            const ClaimRow& before = *Row(*previous, id);
            if (Positive(before.margin) != Positive(row->margin)) {
              out.push_back({p, id, Change::kMarginSign, previous, r});
            } else if (before.status != row->status && Judged(before.status) && Judged(row->status)) {
              out.push_back({p, id, Change::kStatus, previous, r});
            }
          }
          previous = r;
        }
      }
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> SweepPlan::Paths() const {
  std::vector<std::string> out;
  for (const VariedPath& v : varied) out.push_back(v.path);
  return out;
}

void SweepPlan::Validate() const {
  if (varied.empty() || varied.size() > 2) {
    throw std::invalid_argument(fmt::format("--vary: give one or two varied paths, got {}", varied.size()));
  }
  if (varied.size() == 2 && varied[0].path == varied[1].path) {
    throw std::invalid_argument(fmt::format("--vary: the path {} is given twice", varied[0].path));
  }
  if (refine < 0 || refine > 30) throw std::invalid_argument(fmt::format("--refine must be 0..30, got {}", refine));
  if (refine > 0) {
    for (const VariedPath& v : varied) {
      if (!v.Numeric()) {
        throw std::invalid_argument(
            fmt::format("--refine: bisection needs numeric values, but --vary {} has names", v.path));
      }
    }
  }
  long points = 1;
  for (const VariedPath& v : varied) points *= static_cast<long>(v.values.size());
  if (points > kMaxPoints) {
    throw std::invalid_argument(fmt::format("--vary: {} points, more than a sweep may have ({})", points, kMaxPoints));
  }
}

std::vector<SweepPoint> SweepPlan::Grid() const {
  std::vector<SweepPoint> out;
  const std::size_t inner = varied.size() == 2 ? varied[1].values.size() : 1;
  for (std::size_t i = 0; i < varied[0].values.size(); ++i) {
    for (std::size_t j = 0; j < inner; ++j) {
      SweepPoint point;
      point.index = static_cast<int>(out.size());
      point.values.push_back(varied[0].values[i]);
      if (varied.size() == 2) point.values.push_back(varied[1].values[j]);
      point.seed = PointSeed(base_seed, point.values);
      out.push_back(point);
    }
  }
  return out;
}

std::vector<SweepPoint> SweepPlan::Refinements(const std::vector<SweepRecord>& records, int round,
                                               int first_index) const {
  // Only earlier rounds decide, so the round's points are the same before and after a resume.
  std::vector<SweepRecord> earlier;
  std::set<std::vector<std::string>> made;  // the earlier rounds' values, then this round's
  for (const SweepRecord& r : records) {
    if (r.point.round < round) {
      earlier.push_back(r);
      made.insert(r.point.values);
    }
  }
  const std::vector<SweepRecord> ordered = Ordered(std::move(earlier));
  std::vector<SweepPoint> out;
  for (const Bracket& b : Brackets(*this, ordered)) {
    const int p = b.path;
    SweepPoint point;
    point.round = round;
    point.values = b.low->point.values;
    point.values[p] = varied[p].Midpoint(Number(b.low->point.values[p]), Number(b.high->point.values[p]));
    if (point.values[p] == b.low->point.values[p] || point.values[p] == b.high->point.values[p]) continue;
    if (!made.insert(point.values).second) continue;  // an existing value, or one split for several claims
    point.index = first_index + static_cast<int>(out.size());
    point.seed = PointSeed(base_seed, point.values);
    out.push_back(point);
  }
  return out;
}

std::vector<SweepRecord> SweepPlan::Ordered(std::vector<SweepRecord> records) const {
  auto key = [&](const SweepRecord& r) {
    std::vector<double> k;
    for (std::size_t p = 0; p < varied.size(); ++p) k.push_back(Coordinate(varied[p], r.point.values[p]));
    return k;
  };
  std::stable_sort(records.begin(), records.end(),
                   [&](const SweepRecord& a, const SweepRecord& b) { return key(a) < key(b); });
  return records;
}

std::vector<Boundary> FindBoundaries(const SweepPlan& plan, const std::vector<SweepRecord>& records) {
  const std::vector<SweepRecord> ordered = plan.Ordered(records);
  std::vector<Boundary> out;
  for (const Bracket& b : Brackets(plan, ordered)) {
    const VariedPath& path = plan.varied[b.path];
    const ClaimRow& low = *Row(*b.low, b.id);
    const ClaimRow& high = *Row(*b.high, b.id);
    Boundary boundary;
    boundary.id = b.id;
    boundary.change = b.change;
    boundary.path = path.path;
    if (plan.varied.size() == 2) {
      boundary.other_path = plan.varied[1 - b.path].path;
      boundary.other_value = b.low->point.values[1 - b.path];
    }
    boundary.low = Number(b.low->point.values[b.path]);
    boundary.high = Number(b.high->point.values[b.path]);
    boundary.margin_low = low.margin;
    boundary.margin_high = high.margin;
    boundary.standard_error_low = low.standard_error;
    boundary.standard_error_high = high.standard_error;
    // On a sign change, where the margin's line crosses 0; on a status change, the middle of the bracket
    // (the condition that decides is not the margin).
    const double t = b.change == Change::kMarginSign ? low.margin / (low.margin - high.margin) : 0.5;
    const bool log = path.spacing == Spacing::kLog && boundary.low > 0;
    boundary.location = log ? std::exp(std::log(boundary.low) + t * (std::log(boundary.high) - std::log(boundary.low)))
                            : boundary.low + t * (boundary.high - boundary.low);
    auto clear = [](const ClaimRow& row) {
      return !std::isfinite(row.standard_error) ||
             std::abs(row.margin) > claims::kInconclusiveStandardErrors * row.standard_error;
    };
    boundary.resolved = b.change == Change::kStatus || (clear(low) && clear(high));
    boundary.round = std::max(b.low->point.round, b.high->point.round);
    out.push_back(boundary);
  }
  return out;
}

}  // namespace ldaformer::sweep
