// `ldaformer verify`: command-line front end of RunVerify. Exit 1 when some result counts against the
// claims (fails or is unverified inside its hypotheses), 2 on bad input.
#include <iostream>
#include <memory>
#include <string>

#include "cli.hpp"
#include "ldaformer/app/stderr_progress.hpp"
#include "ldaformer/app/verify_command.hpp"
#include "ldaformer/report/claims_table.hpp"
#include "ldaformer/report/verification_report.hpp"

namespace ldaformer::app {

void AddVerifyCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("verify", "Check the claims T1, T2, T3 and D on a scenario, with margins");
  auto request = std::make_shared<VerifyRequest>();
  auto json = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  auto scenario = AddScenarioFlags(cmd, "Scenario YAML file (default: the paper's synthetic setting)");
  cmd->add_option("--claims", request->claims, "Only these claims (T1 T2 T3 D); default: the scenario's verify.claims");
  cmd->add_flag("--json", *json, "Print the result as JSON instead of a table");
  cmd->add_flag("--quiet", *quiet, "No progress on stderr");
  cmd->add_option(
      "--out", request->out_directory,
      "Write the report (report.json, claims.csv, CSV matrices, PNG heatmaps and curves) to this directory");
  cmd->callback([=, &status] {
    request->file = scenario->Read();
    StderrProgress shown(std::cerr, StderrIsTerminal());
    claims::Progress& progress = *quiet ? claims::SilentProgress() : static_cast<claims::Progress&>(shown);
    const claims::VerificationReport report = RunVerify(*request, progress);
    if (*json) {
      std::cout << report::ToJson(report, request->file.scenario, request->Options()).dump(2) << "\n";
    } else {
      std::cout << report::FormatTable(report);
      if (!request->out_directory.empty()) std::cout << "report written to " << request->out_directory << "/\n";
    }
    status = VerifyExitStatus(report);
  });
}

}  // namespace ldaformer::app
