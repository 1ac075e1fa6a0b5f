// The subcommands of the `ldaformer` tool, private to the executable (the only sources that include
// CLI11). Each Add*Command registers one subcommand on `app`; its callback sets `status` (0 success, 1 a
// claim or computation failed). Bad input throws std::invalid_argument, which main() turns into exit code
// kBadInput. A string-valued choice (--loss, --optimizer, ...) is read with theory::ParseName, so it is
// spelled as in the scenario file and its error names the flag and the allowed names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ldaformer/app/scenario_file.hpp"

namespace ldaformer::app {

constexpr int kBadInput = 2;

// `--scenario FILE` and any number of `--set PATH=VALUE`, shared by every subcommand that reads a scenario.
struct ScenarioFlags {
  std::string file;
  std::vector<std::string> sets;

  // The file with the overrides applied, parsed (training section on top of `training_defaults`).
  ScenarioFile Read(const sim::TrainingSection& training_defaults = {}) const;
  std::vector<theory::yaml::Override> Overrides() const;
  // The file's tree with the overrides applied, not parsed (a sweep parses it at each point).
  ScenarioFile Tree() const;
};
std::shared_ptr<ScenarioFlags> AddScenarioFlags(CLI::App* cmd, const std::string& scenario_help);

void AddLossCommand(CLI::App& app, int& status);
void AddAssumptionsCommand(CLI::App& app, int& status);
void AddVerifyCommand(CLI::App& app, int& status);
void AddTrainCommand(CLI::App& app, int& status);
void AddSampleCommand(CLI::App& app, int& status);
void AddSweepCommand(CLI::App& app, int& status);

}  // namespace ldaformer::app
