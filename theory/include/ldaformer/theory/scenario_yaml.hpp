// Reading scenarios from YAML files: the edge where user input is validated.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::theory {

// Parses a scenario. Every field is checked here, so code that receives the Scenario can trust it.
// Throws std::invalid_argument with the field, the offending value and (for files) the line:
//     "masking.p_c + masking.p_r must be <= 1, got p_c=0.6 + p_r=0.6 = 1.2"
// The format, with defaults from PaperSyntheticScenario() for every omitted section:
//   name: my-scenario
//   topics:   {kind: disjoint_uniform, T: 10, v: 100}            # A1
//             {kind: blurred, T: 10, v: 100, leak: 0.2}          # (1-leak) A1 + leak uniform
//             {kind: matrix, beta: [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]]}
//   prior:    {kind: dirichlet, alpha: 0.1}                      # or alpha: [0.1, 0.2, ...]
//             {kind: uniform_subset, k: 2}
//   length:   {kind: uniform, min: 100, max: 150} | {kind: fixed, N: 50}
//             {kind: pmf, values: [10, 20], probs: [0.5, 0.5]} | {kind: infinite}
//   masking:  {p_m: 0.15, p_c: 0.1, p_r: 0.1, keys: all|unselected, replacement: words|all_tokens}
//   special_tokens: 1
// Top-level sections read by other modules (model, solver, training, verify, description) are
// allowed and ignored here; any other key is an error, so that typos do not pass silently.
Scenario ParseScenario(const YAML::Node& root);
Scenario ParseScenarioString(const std::string& yaml);
Scenario LoadScenarioFile(const std::string& path);

}  // namespace ldaformer::theory
