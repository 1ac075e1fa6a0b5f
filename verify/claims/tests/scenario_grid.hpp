// The claim grid and the negative controls: the scenario files shipped in verify/scenarios/.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_fields.hpp"

namespace ldaformer::claims::testing {

// Every scenario file of verify/scenarios/<subdirectory>, sorted by name.
inline std::vector<std::string> ScenarioFiles(const std::string& subdirectory) {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(LDAFORMER_SCENARIO_DIR) + "/" + subdirectory)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline theory::Scenario Load(const std::string& file) { return theory::LoadScenarioFile(file); }

inline std::string Control(const std::string& name) {
  return std::string(LDAFORMER_SCENARIO_DIR) + "/controls/" + name + ".yaml";
}

// A scenario file of the claims' own tests (verify/claims/tests/data/).
inline std::string Data(const std::string& name) { return std::string(LDAFORMER_TEST_DATA_DIR) + "/" + name + ".yaml"; }

inline double Mean(const std::vector<double>& x) {
  double sum = 0.0;
  for (const double value : x) sum += value;
  return sum / static_cast<double>(x.size());
}

// The sample standard deviation (divisor K - 1).
inline double SampleSd(const std::vector<double>& x) {
  const double mean = Mean(x);
  double sum = 0.0;
  for (const double value : x) sum += (value - mean) * (value - mean);
  return std::sqrt(sum / static_cast<double>(x.size() - 1));
}

// Options sized for tests: fewer documents and starts than the command's defaults.
inline VerifyOptions TestOptions() {
  VerifyOptions options;
  options.saa_documents = 1500;  // fewer lets sampling noise flip the worst word of the N = 6 scenario
  options.random_starts = 2;
  return options;
}

}  // namespace ldaformer::claims::testing
