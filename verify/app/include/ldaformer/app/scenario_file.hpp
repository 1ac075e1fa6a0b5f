// A scenario file, read once: the scenario and the sections other subcommands read from the same YAML
// (verify:, training:), so `verify`, `loss` and `train` see one parse of one file.
#pragma once

#include <string>

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/sim/training_yaml.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::app {

struct ScenarioFile {
  std::string path;  // empty: the built-in defaults
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  claims::VerifyOptions verify;
  sim::TrainingSection training;
};

// Parses `path` (empty: the paper's synthetic scenario and default sections). The training section is
// read on top of `training_defaults` (a preset chosen on the command line). Throws std::invalid_argument
// naming the file, the field and the value.
ScenarioFile ReadScenarioFile(const std::string& path, const sim::TrainingSection& training_defaults = {});

}  // namespace ldaformer::app
