#include "ldaformer/app/sweep_command.hpp"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/app/verify_command.hpp"
#include "ldaformer/claims/verification.hpp"
#include "ldaformer/report/sweep_report.hpp"

namespace ldaformer::app {

namespace {

using nlohmann::json;

// What --resume must find unchanged: the plan without the command line and the version that ran it.
json Comparable(json plan) {
  plan.erase("command");
  plan.erase("version");
  return plan;
}

std::string FirstDifference(const json& was, const json& is) {
  for (const auto& [key, value] : is.items()) {
    if (!was.contains(key) || was.at(key) != value) return key;
  }
  return "(unknown)";
}

}  // namespace

PreparedSweep PrepareSweep(const SweepRequest& request) {
  PreparedSweep prepared;
  for (const std::string& text : request.vary) prepared.plan.varied.push_back(sweep::ParseVariedPath(text));
  prepared.plan.refine = request.refine;
  // The base alone need not be a valid scenario (topics.kind=blurred with topics.leak varied); only its
  // verify: section is read before the points are.
  claims::VerifyOptions base_verify;
  try {
    base_verify = claims::ParseVerifyOptions(request.base.tree);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(request.base.Source() + ": " + e.what());
  }
  prepared.plan.base_seed = base_verify.seed;
  prepared.plan.Validate();
  if (request.out.empty()) throw std::invalid_argument("--out: give the sweep's directory");
  if (request.max_new_points < 0) {
    throw std::invalid_argument(fmt::format("--max-points must be >= 0, got {}", request.max_new_points));
  }
  VerifyRequest verify;
  verify.file.verify = base_verify;
  verify.claims = request.claims;
  prepared.claims = verify.Options().claims;
  // Every grid point parsed now: a bad path or value fails before the first point runs.
  if (!request.skip_invalid) {
    for (const sweep::SweepPoint& point : prepared.plan.Grid()) PointScenario(request.base, prepared.plan, point);
  }
  prepared.plan_json =
      report::SweepPlanJson(prepared.plan, prepared.claims, YAML::Dump(request.base.tree), request.command);
  return prepared;
}

ScenarioFile PointScenario(const ScenarioFile& base, const sweep::SweepPlan& plan, const sweep::SweepPoint& point) {
  ScenarioFile file;
  file.path = base.path;
  file.overrides = base.overrides;
  // The seed first, so that a varied verify.seed wins; messages name only the varied values.
  std::vector<theory::yaml::Override> at_point = {{"verify.seed", std::to_string(point.seed)}};
  for (std::size_t p = 0; p < plan.varied.size(); ++p) {
    at_point.push_back({plan.varied[p].path, point.values[p]});
    file.overrides.push_back(at_point.back());
  }
  file.tree = theory::yaml::WithOverrides(base.tree, at_point);
  ParseScenarioTree(file, base.training);
  return file;
}

sweep::SweepRecord EvaluateSweepPoint(const ScenarioFile& base, const PreparedSweep& prepared,
                                      const sweep::SweepPoint& point) {
  const auto start = std::chrono::steady_clock::now();
  sweep::SweepRecord record;
  record.point = point;
  VerifyRequest verify;
  try {
    verify.file = PointScenario(base, prepared.plan, point);
  } catch (const std::invalid_argument& e) {
    record.rows = {{"invalid", "-", std::nan(""), std::nan(""), "invalid", e.what(), false}};
    return record;
  }
  try {
    verify.claims = prepared.claims;
    record.point.seed = verify.file.verify.seed;  // the point's own, unless verify.seed is what varies
    const claims::VerificationReport report = claims::RunVerification(verify.file.scenario, verify.Options());
    for (const claims::ClaimResult& r : report.claims) {
      record.rows.push_back(
          {r.id, r.claim, r.margin, r.standard_error, theory::NameOf(r.Status()), r.ReasonText(), r.HypothesesMet()});
    }
  } catch (const std::exception& e) {
    record.rows = {{"error", "-", std::nan(""), std::nan(""), "error", e.what(), true}};
  }
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

SweepCommandResult RunSweepCommand(const SweepRequest& request, sweep::PointExecutor& executor,
                                   const SweepProgress& progress) {
  const PreparedSweep prepared = PrepareSweep(request);
  const std::vector<std::string> paths = prepared.plan.Paths();
  const report::SweepStore store(request.out);
  std::vector<sweep::SweepRecord> before;
  if (request.resume) {
    const json was = Comparable(store.Plan());
    const json is = Comparable(prepared.plan_json);
    if (was != is) {
      throw std::invalid_argument(fmt::format(
          "--resume {}: the stored sweep has a different {} (was {}, now {})", request.out, FirstDifference(was, is),
          was.value(FirstDifference(was, is), json()).dump(), is.value(FirstDifference(was, is), json()).dump()));
    }
    before = store.Load(paths);
  } else if (store.Exists()) {
    throw std::invalid_argument(fmt::format(
        "--out {} already holds a sweep: add --resume to continue it, or choose another directory", request.out));
  }
  store.Create(prepared.plan_json);

  SweepCommandResult result;
  result.points_before = static_cast<long>(before.size());
  std::vector<sweep::SweepRecord> all = before;
  const long grid = static_cast<long>(prepared.plan.Grid().size());
  progress.begin(result.points_before, std::max(0L, grid - result.points_before));
  const sweep::RecordDone store_point = [&](const sweep::SweepRecord& record) {
    store.Save(record, paths);
    all.push_back(record);
    report::WriteSweepResults(store, prepared.plan, prepared.plan_json, all, /*plots=*/false);
    progress.point(record, static_cast<long>(all.size()), std::max(grid, static_cast<long>(all.size())));
  };
  const sweep::EvaluatePoint evaluate = [&](const sweep::SweepPoint& point) {
    return EvaluateSweepPoint(request.base, prepared, point);
  };
  sweep::SweepRunOptions options;
  options.max_new_points = request.max_new_points;
  result.run = sweep::RunSweep(prepared.plan, std::move(before), executor, evaluate, store_point, options);
  result.plots = report::WriteSweepResults(store, prepared.plan, prepared.plan_json, result.run.records,
                                           request.plots && result.run.complete);
  for (const sweep::SweepRecord& r : result.run.records) {
    if (r.rows.size() == 1 && r.rows.front().status == "error") ++result.errors;
  }
  return result;
}

}  // namespace ldaformer::app
