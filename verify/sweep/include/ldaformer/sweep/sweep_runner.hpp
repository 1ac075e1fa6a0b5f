// Running a sweep: the points of each round handed to an executor (threads on this machine, or MPI ranks),
// each finished point handed back as soon as it is done, and the rounds of refinement in between.
#pragma once

#include <functional>
#include <vector>

#include "ldaformer/sweep/sweep_plan.hpp"

namespace ldaformer::sweep {

// Runs the claims at one point; must be safe to call from several threads at once.
using EvaluatePoint = std::function<SweepRecord(const SweepPoint&)>;
// Receives each finished point, one at a time (never concurrently), in the order points finish.
using RecordDone = std::function<void(const SweepRecord&)>;

// Where points run. Run() returns when every point has been evaluated and passed to `done`; an exception
// from `evaluate` or `done` stops the handing out of points and is rethrown once the running ones finish.
class PointExecutor {
 public:
  virtual ~PointExecutor() = default;
  virtual void Run(const std::vector<SweepPoint>& points, const EvaluatePoint& evaluate, const RecordDone& done) = 0;
};

// `jobs` threads on this machine, each running one point at a time with a ThreadBudget of one thread and
// OpenBLAS on one thread (so J jobs occupy J cores; a point's numbers do not depend on it).
class LocalExecutor : public PointExecutor {
 public:
  explicit LocalExecutor(int jobs);
  void Run(const std::vector<SweepPoint>& points, const EvaluatePoint& evaluate, const RecordDone& done) override;

 private:
  int jobs_;
};

struct SweepRunOptions {
  // Evaluate at most this many new points in this invocation, then stop (0: no limit); the sweep
  // continues with --resume. For batch systems with a time limit, and for testing resumption.
  long max_new_points = 0;
};

struct SweepRunResult {
  std::vector<SweepRecord> records;  // every point of the sweep so far, plan.Ordered()
  long new_points = 0;               // evaluated in this invocation
  bool complete = false;             // false when max_new_points stopped it early
};

// Runs the grid, then plan.refine rounds of bisection, skipping every point already in `done_before`
// (matched by values). `on_done` sees each new record as it finishes (to store it at once).
SweepRunResult RunSweep(const SweepPlan& plan, std::vector<SweepRecord> done_before, PointExecutor& executor,
                        const EvaluatePoint& evaluate, const RecordDone& on_done, const SweepRunOptions& options = {});

}  // namespace ldaformer::sweep
