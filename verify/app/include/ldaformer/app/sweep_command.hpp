// `ldaformer sweep`: the claims run over one or two varied scenario fields, each point's results stored as
// soon as it finishes, sign changes of every margin located and, with --refine, bisected.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/sweep/sweep_runner.hpp"

namespace ldaformer::app {

struct SweepRequest {
  ScenarioFile base;                // --scenario with every --set applied: its tree (each point parses it)
  std::vector<std::string> vary;    // PATH=VALUES, one or two
  std::vector<std::string> claims;  // empty: the base scenario's verify.claims
  std::string out;                  // the sweep's directory
  int refine = 0;                   // bisection rounds at sign changes
  bool resume = false;              // continue the sweep stored in `out`
  long max_new_points = 0;          // stop after this many new points (0: no limit)
  bool plots = true;
  // A point whose scenario is invalid (p_c + p_r > 1 in a corner of a grid) is recorded with status
  // "invalid" and the parser's message instead of refusing the sweep.
  bool skip_invalid = false;
  std::vector<std::string> command;  // the command line, recorded in sweep.json and results.json
};

// The plan and its JSON record, with every grid point's scenario parsed and validated: a varied path that
// does not exist or a value outside its field's range is refused here, naming the path and the value,
// before any work. Throws std::invalid_argument.
struct PreparedSweep {
  sweep::SweepPlan plan;
  std::vector<std::string> claims;  // the claims each point runs
  nlohmann::json plan_json;
};
PreparedSweep PrepareSweep(const SweepRequest& request);

// The scenario at one point: the base tree with verify.seed = the point's seed, then the point's values.
ScenarioFile PointScenario(const ScenarioFile& base, const sweep::SweepPlan& plan, const sweep::SweepPoint& point);

// Runs the chosen claims at one point (single-threaded budget is the executor's business). An invalid
// scenario becomes one row with status "invalid", a computation that throws one with status "error", each
// with the message, so the sweep goes on.
sweep::SweepRecord EvaluateSweepPoint(const ScenarioFile& base, const PreparedSweep& prepared,
                                      const sweep::SweepPoint& point);

struct SweepCommandResult {
  sweep::SweepRunResult run;
  long points_before = 0;  // found in `out` by --resume
  std::vector<std::string> plots;
  long errors = 0;  // points whose computation threw
};

// Progress of a sweep: called once before the first point and after each finished one.
struct SweepProgress {
  std::function<void(long done_before, long to_run)> begin = [](long, long) {};
  std::function<void(const sweep::SweepRecord&, long done, long total)> point = [](const sweep::SweepRecord&, long,
                                                                                   long) {};
};

// Prepares, then runs on `executor`, storing each point and rewriting the results after each one.
SweepCommandResult RunSweepCommand(const SweepRequest& request, sweep::PointExecutor& executor,
                                   const SweepProgress& progress = {});

}  // namespace ldaformer::app
