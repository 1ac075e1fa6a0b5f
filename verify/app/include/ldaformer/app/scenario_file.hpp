// A scenario file, read once: the scenario and the sections other subcommands read from the same YAML
// (verify:, training:), so `verify`, `loss` and `train` see one parse of one file. `--set PATH=VALUE`
// overrides are applied to the file's YAML tree before that parse.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/sim/training_yaml.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/yaml_overrides.hpp"

namespace ldaformer::app {

struct ScenarioFile {
  std::string path;  // empty: the built-in defaults
  std::vector<theory::yaml::Override> overrides;
  YAML::Node tree;  // the YAML the sections were parsed from: the file with the overrides applied
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  claims::VerifyOptions verify;
  sim::TrainingSection training;

  // "FILE", "FILE with --set a=1 --set b=2", or "the default scenario ..." for messages and reports.
  std::string Source() const;
};

// The YAML tree of `path` (empty: an empty tree, i.e. the defaults). Throws std::invalid_argument naming
// --scenario and the file when it cannot be read or is not YAML.
YAML::Node LoadScenarioTree(const std::string& path);

// Parses `file.tree` into file's sections; the training section is read on top of `training_defaults` (a
// preset chosen on the command line). Throws std::invalid_argument prefixed with file.Source().
void ParseScenarioTree(ScenarioFile& file, const sim::TrainingSection& training_defaults = {});

// Reads `path` (empty: the paper's synthetic scenario and default sections), applies `overrides` in
// order, and parses the result. Throws std::invalid_argument naming the file, the field and the value.
ScenarioFile ReadScenarioFile(const std::string& path, const std::vector<theory::yaml::Override>& overrides = {},
                              const sim::TrainingSection& training_defaults = {});

}  // namespace ldaformer::app
