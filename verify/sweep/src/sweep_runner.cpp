#include "ldaformer/sweep/sweep_runner.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::sweep {

LocalExecutor::LocalExecutor(int jobs) : jobs_(jobs) {
  if (jobs < 1) throw std::invalid_argument(fmt::format("--jobs must be >= 1, got {}", jobs));
  // One core per point includes BLAS: the points, not the products inside them, fill the machine.
  theory::SetBlasThreads(1);
}

void LocalExecutor::Run(const std::vector<SweepPoint>& points, const EvaluatePoint& evaluate, const RecordDone& done) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::exception_ptr error;
  auto work = [&] {
    const theory::ThreadBudget budget(1);
    while (!stop) {
      const std::size_t i = next++;
      if (i >= points.size()) return;
      try {
        const SweepRecord record = evaluate(points[i]);
        const std::lock_guard<std::mutex> lock(mutex);
        if (!stop) done(record);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
    }
  };
  const int workers = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(jobs_), points.size()));
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < workers; ++t) pool.emplace_back(work);
    for (std::thread& thread : pool) thread.join();
  }
  if (error) std::rethrow_exception(error);
}

SweepRunResult RunSweep(const SweepPlan& plan, std::vector<SweepRecord> done_before, PointExecutor& executor,
                        const EvaluatePoint& evaluate, const RecordDone& on_done, const SweepRunOptions& options) {
  SweepRunResult result;
  result.records = std::move(done_before);
  std::set<std::vector<std::string>> done;
  for (const SweepRecord& r : result.records) done.insert(r.point.values);
  const RecordDone keep = [&](const SweepRecord& record) {
    result.records.push_back(record);
    ++result.new_points;
    on_done(record);
  };
  // Runs the points not done yet, up to the limit; false when the limit stopped it.
  auto run = [&](const std::vector<SweepPoint>& points) {
    std::vector<SweepPoint> todo;
    for (const SweepPoint& p : points) {
      if (!done.count(p.values)) todo.push_back(p);
    }
    bool truncated = false;
    if (options.max_new_points > 0) {
      const long room = options.max_new_points - result.new_points;
      if (static_cast<long>(todo.size()) > room) {
        todo.resize(static_cast<std::size_t>(std::max(0L, room)));
        truncated = true;
      }
    }
    executor.Run(todo, evaluate, keep);
    for (const SweepPoint& p : todo) done.insert(p.values);
    return !truncated;
  };

  std::vector<SweepPoint> points = plan.Grid();
  int next_index = static_cast<int>(points.size());
  bool complete = run(points);
  for (int round = 1; complete && round <= plan.refine; ++round) {
    points = plan.Refinements(result.records, round, next_index);
    if (points.empty()) break;
    if (next_index + static_cast<long>(points.size()) > kMaxPoints) {
      throw std::invalid_argument(
          fmt::format("--refine: round {} would take the sweep past {} points", round, kMaxPoints));
    }
    next_index += static_cast<int>(points.size());
    complete = run(points);
  }
  result.complete = complete;
  result.records = plan.Ordered(std::move(result.records));
  return result;
}

}  // namespace ldaformer::sweep
