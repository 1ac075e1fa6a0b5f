#include "ldaformer/app/scenario_file.hpp"

#include <stdexcept>

#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_fields.hpp"

namespace ldaformer::app {

ScenarioFile ReadScenarioFile(const std::string& path, const sim::TrainingSection& training_defaults) {
  ScenarioFile file;
  file.path = path;
  file.training = training_defaults;
  if (path.empty()) return file;
  const YAML::Node root = theory::yaml::LoadFile(path);
  try {
    file.scenario = theory::ParseScenario(root);
    file.verify = claims::ParseVerifyOptions(root);
    file.training = sim::ParseTrainingSection(root, training_defaults);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  return file;
}

}  // namespace ldaformer::app
