// `ldaformer sweep`: command-line front end of RunSweepCommand, on threads or, under mpirun, on MPI ranks.
#include <chrono>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/sweep_command.hpp"
#include "sweep_mpi.hpp"

namespace ldaformer::app {

namespace {

struct SweepFlags {
  std::vector<std::string> vary, claims;
  std::string out;
  int jobs = 1, refine = 0;
  long max_points = 0;
  bool resume = false, quiet = false, no_plots = false, skip_invalid = false;
};

std::string RowSummary(const sweep::SweepRecord& record) {
  std::string out;
  for (const sweep::ClaimRow& row : record.rows) {
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", row.id, row.status);
    if (std::isfinite(row.margin)) out += fmt::format(" {:+.3g}", row.margin);
  }
  return out;
}

SweepProgress StderrSweepProgress(const std::vector<std::string>& paths) {
  auto start = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  auto first = std::make_shared<long>(0);
  SweepProgress progress;
  progress.begin = [=](long done_before, long to_run) {
    *first = done_before;
    std::cerr << fmt::format("sweep: {} grid points to run, {} done before\n", to_run, done_before) << std::flush;
  };
  progress.point = [=](const sweep::SweepRecord& record, long done, long total) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
    const long ran = done - *first;
    const std::string left =
        done < total && ran > 0 ? fmt::format(", about {:.0f} s left", elapsed / ran * (total - done)) : "";
    std::cerr << fmt::format("sweep: {}/{} points, {:.0f} s elapsed{}: {} ({:.1f} s): {}\n", done, total, elapsed, left,
                             record.point.Key(paths), record.seconds, RowSummary(record))
              << std::flush;
  };
  return progress;
}

}  // namespace

void AddSweepCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run the claims over one or two varied scenario fields; locate where each margin changes sign");
  auto scenario = AddScenarioFlags(cmd, "Base scenario YAML file (default: the paper's synthetic setting)");
  auto f = std::make_shared<SweepFlags>();
  cmd->add_option("--vary", f->vary,
                  "PATH=VALUES, once or twice (a grid): a list 0,0.1,0.5, a range 0:0.9:10 or a log range log:1e-4:1:9")
      ->required();
  cmd->add_option("--claims", f->claims, "Only these claims (T1 T2 T3 D); default: the scenario's verify.claims");
  cmd->add_option("--out", f->out, "The sweep's directory (results.csv, results.json, boundaries.csv, plots)")
      ->required();
  AddInteger(cmd, "--jobs", f->jobs, "Points run at once on this machine, one core each (default 1)", 1,
             theory::MaxThreads());
  AddInteger(cmd, "--refine", f->refine, "Bisection rounds where a margin changes sign (default 0)", 0, 60);
  cmd->add_flag("--resume", f->resume, "Continue the sweep in --out, skipping the points already done");
  AddInteger(cmd, "--max-points", f->max_points, "Run at most this many new points, then stop (resume later)", 1);
  cmd->add_flag("--no-plots", f->no_plots, "Do not draw the PNG plots");
  cmd->add_flag("--skip-invalid", f->skip_invalid,
                "Record points whose scenario is invalid (status invalid) instead of refusing the sweep");
  cmd->add_flag("--quiet", f->quiet, "No progress on stderr");
  cmd->callback([=, &status] {
    SweepRequest request;
    request.base = scenario->Tree();
    request.vary = f->vary;
    request.claims = f->claims;
    request.out = f->out;
    request.refine = f->refine;
    request.resume = f->resume;
    request.max_new_points = f->max_points;
    request.plots = !f->no_plots;
    request.skip_invalid = f->skip_invalid;
    request.command = CommandLine();
    status = RunSweepOnRanks(request, f->jobs, [&](sweep::PointExecutor& executor) {
      const PreparedSweep prepared = PrepareSweep(request);
      const SweepProgress progress = f->quiet ? SweepProgress{} : StderrSweepProgress(prepared.plan.Paths());
      const SweepCommandResult result = RunSweepCommand(request, executor, progress);
      std::cout << fmt::format("{} points ({} new{}), results in {}/results.csv\n", result.run.records.size(),
                               result.run.new_points, result.run.complete ? "" : ", stopped early: --resume continues",
                               request.out);
      for (const sweep::Boundary& b : sweep::FindBoundaries(prepared.plan, result.run.records)) {
        std::cout << fmt::format("boundary: {} changes {} along {} near {:.6g} (between {} and {}{}){}\n", b.id,
                                 b.change == sweep::Change::kMarginSign ? "sign" : "status (holds/fails)", b.path,
                                 b.location, b.low, b.high,
                                 b.other_path.empty() ? "" : fmt::format(", {} = {}", b.other_path, b.other_value),
                                 b.resolved ? "" : " [within sampling error]");
      }
      for (const std::string& png : result.plots) std::cout << "wrote " << png << "\n";
      if (result.errors > 0)
        std::cout << fmt::format("{} points could not be computed (status error)\n", result.errors);
      return result.errors > 0 ? 1 : 0;
    });
  });
}

}  // namespace ldaformer::app
