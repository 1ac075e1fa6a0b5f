// `--scenario` and `--set`, the same on every subcommand.
#include "cli.hpp"

namespace ldaformer::app {

std::vector<theory::yaml::Override> ScenarioFlags::Overrides() const {
  std::vector<theory::yaml::Override> out;
  for (const std::string& text : sets) out.push_back(theory::yaml::ParseOverride(text));
  return out;
}

ScenarioFile ScenarioFlags::Read(const sim::TrainingSection& training_defaults) const {
  return ReadScenarioFile(file, Overrides(), training_defaults);
}

ScenarioFile ScenarioFlags::Tree() const {
  ScenarioFile out;
  out.path = file;
  out.overrides = Overrides();
  out.tree = theory::yaml::WithOverrides(LoadScenarioTree(file), out.overrides);
  return out;
}

std::shared_ptr<ScenarioFlags> AddScenarioFlags(CLI::App* cmd, const std::string& scenario_help) {
  auto flags = std::make_shared<ScenarioFlags>();
  cmd->add_option("--scenario", flags->file, scenario_help);
  cmd->add_option("--set", flags->sets,
                  "PATH=VALUE: override one field of the scenario file by its YAML path (masking.p_c=0, "
                  "topics.leak=0.3, verify.lambda=1e-2, prior.alpha=[0.1,0.5]); repeatable, later ones win")
      ->allow_extra_args(false);
  return flags;
}

}  // namespace ldaformer::app
