// The runner: the same records for any number of jobs and any interruption, exceptions passed on.
#include <atomic>
#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "ldaformer/sweep/sweep_runner.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::sweep {
namespace {

SweepRecord Evaluate(const SweepPoint& point) {
  const double x = std::stod(point.values[0]);
  SweepRecord r;
  r.point = point;
  // The margin depends on the point's seed as a sample average would.
  const double noise = static_cast<double>(point.seed % 1000) * 1e-6;
  r.rows = {{"A", "T3", 0.45 - x + noise, 1e-6, "", "", true}};
  r.seconds = 0.0;
  return r;
}

SweepPlan Plan() {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0:1:5")};
  plan.refine = 3;
  plan.base_seed = 7;
  return plan;
}

std::vector<std::pair<std::vector<std::string>, double>> Summary(const std::vector<SweepRecord>& records) {
  std::vector<std::pair<std::vector<std::string>, double>> out;
  for (const SweepRecord& r : records) out.push_back({r.point.values, r.rows[0].margin});
  return out;
}

TEST_CASE("A sweep gives the same records with 1 and 4 jobs", "[sweep]") {
  const SweepPlan plan = Plan();
  LocalExecutor one(1), four(4);
  std::atomic<int> budget_seen{0};
  const EvaluatePoint evaluate = [&](const SweepPoint& p) {
    budget_seen = theory::DefaultThreads();
    return Evaluate(p);
  };
  const SweepRunResult a = RunSweep(plan, {}, one, evaluate, [](const SweepRecord&) {});
  const SweepRunResult b = RunSweep(plan, {}, four, evaluate, [](const SweepRecord&) {});
  CHECK(a.complete);
  CHECK(a.records.size() == 5 + 3);  // the grid, then one midpoint per round
  CHECK(Summary(a.records) == Summary(b.records));
  CHECK(budget_seen == 1);  // each point runs on one core
}

TEST_CASE("A sweep stopped after some points and resumed equals one that ran through", "[sweep]") {
  const SweepPlan plan = Plan();
  LocalExecutor executor(2);
  const SweepRunResult whole = RunSweep(plan, {}, executor, Evaluate, [](const SweepRecord&) {});
  for (long stop_after : {1L, 4L, 5L, 6L, 7L}) {
    SweepRunOptions limit;
    limit.max_new_points = stop_after;
    std::vector<SweepRecord> stored;
    const SweepRunResult first = RunSweep(
        plan, {}, executor, Evaluate, [&](const SweepRecord& r) { stored.push_back(r); }, limit);
    CHECK_FALSE(first.complete);
    CHECK(first.new_points == stop_after);
    CHECK(stored.size() == static_cast<std::size_t>(stop_after));
    const SweepRunResult rest = RunSweep(plan, stored, executor, Evaluate, [](const SweepRecord&) {});
    CHECK(rest.complete);
    CHECK(rest.new_points == 8 - stop_after);
    CHECK(Summary(rest.records) == Summary(whole.records));
  }
}

TEST_CASE("An exception at a point stops the sweep and reaches the caller", "[sweep]") {
  const SweepPlan plan = Plan();
  LocalExecutor executor(2);
  const EvaluatePoint failing = [](const SweepPoint& p) -> SweepRecord {
    if (p.values[0] == "0.5") throw std::runtime_error("point 0.5 failed");
    return Evaluate(p);
  };
  CHECK_THROWS_WITH(RunSweep(plan, {}, executor, failing, [](const SweepRecord&) {}), "point 0.5 failed");
  CHECK_THROWS_WITH(LocalExecutor(0), Catch::Contains("--jobs must be >= 1, got 0"));
}

}  // namespace
}  // namespace ldaformer::sweep
