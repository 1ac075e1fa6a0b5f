// Grids, refinement by bisection and the located sign changes, on margins given by formulas.
#include <cmath>

#include <catch2/catch.hpp>

#include "ldaformer/sweep/sweep_plan.hpp"

namespace ldaformer::sweep {
namespace {

using Catch::Contains;

// A record whose claim "A" has margin f(x) (exact: no standard error) and "B" margin 1 (never changes sign).
SweepRecord Evaluate(const SweepPoint& point, double (*f)(double)) {
  const double x = std::stod(point.values[0]);
  SweepRecord r;
  r.point = point;
  r.rows = {{"A", "T2", f(x), std::nan(""), f(x) > 0 ? "holds" : "fails", "", true},
            {"B", "T2", 1.0, std::nan(""), "holds", "", true}};
  return r;
}

double Root037(double x) { return 0.37 - x; }

TEST_CASE("A grid is every combination with the first path outermost, each point with its own seed", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("a=1,2,3"), ParseVariedPath("b=x,y")};
  plan.Validate();
  const std::vector<SweepPoint> grid = plan.Grid();
  REQUIRE(grid.size() == 6);
  CHECK(grid[1].values == std::vector<std::string>{"1", "y"});
  CHECK(grid[4].Key(plan.Paths()) == "a=3 b=x");
  CHECK(grid[4].index == 4);
  CHECK(grid[4].seed == PointSeed(plan.base_seed, {"3", "x"}));
  CHECK(grid[4].seed != grid[5].seed);
  CHECK(PointSeed(1, {"ab", "c"}) != PointSeed(1, {"a", "bc"}));
  CHECK(PointSeed(1, {"3", "x"}) != PointSeed(2, {"3", "x"}));
}

TEST_CASE("A plan is validated before anything runs", "[sweep]") {
  SweepPlan plan;
  CHECK_THROWS_WITH(plan.Validate(), Contains("one or two varied paths, got 0"));
  plan.varied = {ParseVariedPath("a=1,2"), ParseVariedPath("a=3,4")};
  CHECK_THROWS_WITH(plan.Validate(), Contains("the path a is given twice"));
  plan.varied = {ParseVariedPath("keys=all,unselected")};
  plan.refine = 2;
  CHECK_THROWS_WITH(plan.Validate(), Contains("--vary keys has names"));
  plan.varied = {ParseVariedPath("a=0:1:1000"), ParseVariedPath("b=0:1:1000")};
  plan.refine = 0;
  CHECK_THROWS_WITH(plan.Validate(), Contains("1000000 points"));
}

TEST_CASE("Bisection rounds close in on a sign change; the boundary is interpolated", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0:1:6")};  // 0, 0.2, ..., 1: the root 0.37 lies in [0.2, 0.4]
  std::vector<SweepRecord> records;
  for (const SweepPoint& p : plan.Grid()) records.push_back(Evaluate(p, Root037));
  std::vector<Boundary> found = FindBoundaries(plan, records);
  REQUIRE(found.size() == 1);  // B never changes sign
  CHECK(found[0].id == "A");
  CHECK(found[0].change == Change::kMarginSign);
  CHECK(found[0].low == 0.2);
  CHECK(found[0].high == 0.4);
  CHECK(found[0].location == Approx(0.37).epsilon(1e-12));  // a linear margin: exact
  CHECK(found[0].resolved);
  int next = 6;
  for (int round = 1; round <= 4; ++round) {
    const std::vector<SweepPoint> added = plan.Refinements(records, round, next);
    REQUIRE(added.size() == 1);  // one bracket, one midpoint
    CHECK(added[0].index == next);
    CHECK(added[0].round == round);
    next += 1;
    for (const SweepPoint& p : added) records.push_back(Evaluate(p, Root037));
  }
  found = FindBoundaries(plan, records);
  REQUIRE(found.size() == 1);
  CHECK(found[0].high - found[0].low == Approx(0.2 / 16));  // halved four times
  CHECK(found[0].low < 0.37);
  CHECK(found[0].high > 0.37);
  CHECK(found[0].round == 4);
  // Negative control: a margin that never changes sign has no boundary and nothing to refine.
  std::vector<SweepRecord> positive;
  for (const SweepPoint& p : plan.Grid()) positive.push_back(Evaluate(p, [](double x) { return 1.0 + x; }));
  CHECK(FindBoundaries(plan, positive).empty());
  CHECK(plan.Refinements(positive, 1, 6).empty());
}

TEST_CASE("A sign change within three standard errors is marked unresolved", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0,1")};
  std::vector<SweepRecord> records;
  for (const SweepPoint& p : plan.Grid()) {
    SweepRecord r;
    r.point = p;
    r.rows = {{"A", "T3", p.values[0] == "0" ? 0.01 : -0.5, 0.01, "", "", true}};
    records.push_back(r);
  }
  const std::vector<Boundary> found = FindBoundaries(plan, records);
  REQUIRE(found.size() == 1);
  CHECK_FALSE(found[0].resolved);  // 0.01 is one standard error from 0
}

TEST_CASE("A change from holds to fails with margins of one sign is a status boundary, and is bisected", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0:1:3")};
  // A margin that stays positive while a condition of the claim (margin >= 1e-3, as T3's) fails beyond 0.6.
  auto evaluate = [](const SweepPoint& p) {
    const double x = std::stod(p.values[0]);
    SweepRecord r;
    r.point = p;
    const double margin = x < 0.6 ? 0.1 : 1e-5;
    r.rows = {{"A", "T3", margin, 1e-7, margin >= 1e-3 ? "holds" : "fails", "", true},
              {"B", "T3", margin, 1e-7, "not applicable", "", false}};  // outside: never a status boundary
    return r;
  };
  std::vector<SweepRecord> records;
  for (const SweepPoint& p : plan.Grid()) records.push_back(evaluate(p));
  std::vector<Boundary> found = FindBoundaries(plan, records);
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == "A");
  CHECK(found[0].change == Change::kStatus);
  CHECK(found[0].low == 0.5);
  CHECK(found[0].high == 1.0);
  CHECK(found[0].location == 0.75);
  CHECK(found[0].resolved);
  for (int round = 1; round <= 3; ++round) {
    for (const SweepPoint& p : plan.Refinements(records, round, static_cast<int>(records.size()))) {
      records.push_back(evaluate(p));
    }
  }
  found = FindBoundaries(plan, records);
  REQUIRE(found.size() == 1);
  CHECK(found[0].low == 0.5625);
  CHECK(found[0].high == 0.625);
}

TEST_CASE("On a grid, boundaries are found along each path with the other held fixed", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0:1:3"), ParseVariedPath("y=0:1:3")};
  std::vector<SweepRecord> records;
  for (const SweepPoint& p : plan.Grid()) {
    SweepRecord r;
    r.point = p;
    const double x = std::stod(p.values[0]), y = std::stod(p.values[1]);
    r.rows = {{"A", "T3", 0.8 - x - y, std::nan(""), "", "", true}};  // the zero line x + y = 0.8
    records.push_back(r);
  }
  const std::vector<Boundary> found = FindBoundaries(plan, records);
  // Along x at y = 0 (0.5..1) and y = 0.5 (0..0.5); along y likewise: four brackets, on the line.
  REQUIRE(found.size() == 4);
  for (const Boundary& b : found) {
    const double other = std::stod(b.other_value);
    CHECK(b.location + other == Approx(0.8));
  }
  const std::vector<SweepPoint> added = plan.Refinements(records, 1, 9);
  CHECK(added.size() == 4);
}

TEST_CASE("Records are ordered by value, refinements between grid points", "[sweep]") {
  SweepPlan plan;
  plan.varied = {ParseVariedPath("x=0,10,2")};  // a list need not be sorted: numeric paths sort by number
  std::vector<SweepRecord> records;
  for (const SweepPoint& p : plan.Grid()) records.push_back(Evaluate(p, Root037));
  SweepRecord extra = Evaluate({7, 1, {"1"}, 0}, Root037);
  records.insert(records.begin(), extra);
  const std::vector<SweepRecord> ordered = plan.Ordered(records);
  std::vector<std::string> values;
  for (const SweepRecord& r : ordered) values.push_back(r.point.values[0]);
  CHECK(values == std::vector<std::string>{"0", "1", "2", "10"});
}

}  // namespace
}  // namespace ldaformer::sweep
