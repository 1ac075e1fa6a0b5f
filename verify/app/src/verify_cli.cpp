// `ldaformer verify`: check every claim on a scenario; exit 0 if and only if every claim expected to hold does.
#include <iostream>
#include <memory>
#include <string>

#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_fields.hpp"
#include "ldaformer/app/cli.hpp"
#include "ldaformer/claims/verification.hpp"
#include "ldaformer/report/verification_report.hpp"

namespace ldaformer::app {

void AddVerifyCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("verify", "Check the claims T1, T2, T3 and D on a scenario, with margins");
  auto scenario_file = std::make_shared<std::string>();
  auto out_dir = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto claims = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--scenario", *scenario_file, "Scenario YAML file (default: the paper's synthetic setting)");
  cmd->add_option("--claims", *claims, "Only these claims (T1 T2 T3 D); default: the scenario's verify.claims")
      ->check(CLI::IsMember({"T1", "T2", "T3", "D"}));
  cmd->add_flag("--json", *json, "Print the result as JSON instead of a table");
  cmd->add_option("--out", *out_dir, "Write the report (JSON, CSV, PNG heatmaps and curves) to this directory");
  cmd->callback([=, &status] {
    theory::Scenario scenario = theory::PaperSyntheticScenario();
    claims::VerifyOptions options;
    if (!scenario_file->empty()) {
      scenario = theory::LoadScenarioFile(*scenario_file);
      try {
        options = claims::ParseVerifyOptions(theory::yaml::LoadFile(*scenario_file));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(*scenario_file + ": " + e.what());
      }
    }
    if (!claims->empty()) options.claims = *claims;
    const claims::VerificationReport report = claims::RunVerification(scenario, options);
    if (*json) {
      std::cout << report::ToJson(report).dump(2) << "\n";
    } else {
      std::cout << report::FormatTable(report);
    }
    if (!out_dir->empty()) {
      report::WriteReport(report, *out_dir);
      if (!*json) std::cout << "report written to " << *out_dir << "/\n";
    }
    status = report.ExpectedClaimsHold() ? 0 : 1;
  });
}

}  // namespace ldaformer::app
