#include "ldaformer/app/scenario_file.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/memory_check.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_fields.hpp"

namespace ldaformer::app {

std::string ScenarioFile::Source() const {
  std::string out = path.empty() ? "the default scenario" : path;
  for (const theory::yaml::Override& o : overrides) out += " --set " + o.Text();
  return out;
}

YAML::Node LoadScenarioTree(const std::string& path) {
  return path.empty() ? YAML::Node() : theory::yaml::LoadFile(path);
}

void ParseScenarioTree(ScenarioFile& file, const sim::TrainingSection& training_defaults) {
  try {
    file.scenario = theory::ParseScenario(file.tree);
    if (const double deviation = file.scenario.topics.renormalised_deviation; deviation > 0.0) {
      fmt::print(stderr, "ldaformer: {}: topics.beta rows divided by their sums (off from 1 by up to {:.3g})\n",
                 file.Source(), deviation);
    }
    file.verify = claims::ParseVerifyOptions(file.tree);
    file.training = sim::ParseTrainingSection(file.tree, training_defaults);
    // Every command that reads a scenario holds a few n x n matrices (A, C, W^V, gradients and work
    // space): refuse a size that cannot fit before the first of them is allocated.
    const theory::TokenSpace tokens = file.scenario.tokens();
    const double n = tokens.n();
    theory::RequireMemory(theory::DoublesBytes(8.0 * n * n),
                          fmt::format("topics.v = {} with special_tokens = {} (n = {}; about 8 n x n matrices)",
                                      tokens.v, tokens.num_special, tokens.n()));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(file.Source() + ": " + e.what());
  }
}

ScenarioFile ReadScenarioFile(const std::string& path, const std::vector<theory::yaml::Override>& overrides,
                              const sim::TrainingSection& training_defaults) {
  ScenarioFile file;
  file.path = path;
  file.overrides = overrides;
  file.tree = theory::yaml::WithOverrides(LoadScenarioTree(path), overrides);
  ParseScenarioTree(file, training_defaults);
  return file;
}

}  // namespace ldaformer::app
