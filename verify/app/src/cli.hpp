// The subcommands of the `ldaformer` tool. Each Add*Command registers one subcommand on `app`; its
// callback sets `status` (0 success, 1 a claim or computation failed). Bad input throws
// std::invalid_argument, which main() turns into exit code kBadInput.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::app {

constexpr int kBadInput = 2;

// The choice named `value` of a string-valued flag; throws std::invalid_argument naming the flag, the
// allowed names and the value otherwise.
template <class E>
E Choose(const std::string& flag, const std::string& value, const std::vector<std::pair<std::string, E>>& choices) {
  std::string names;
  for (const auto& [name, choice] : choices) {
    if (name == value) return choice;
    names += names.empty() ? name : " or " + name;
  }
  throw std::invalid_argument(fmt::format("{} must be {}, got '{}'", flag, names, value));
}

// The names of the training switches that `train` and `assumptions --train-wv` share.
template <class E>
using Choices = std::vector<std::pair<std::string, E>>;
inline const Choices<sim::OptimizerKind> kOptimizerNames = {{"sgd", sim::OptimizerKind::kSgd},
                                                            {"adam", sim::OptimizerKind::kAdam}};
inline const Choices<theory::LossKind> kLossNames = {{"sq", theory::LossKind::kSquared},
                                                     {"squared", theory::LossKind::kSquared},
                                                     {"ce", theory::LossKind::kCrossEntropy},
                                                     {"cross_entropy", theory::LossKind::kCrossEntropy}};
inline const Choices<sim::LearningRateSchedule> kScheduleNames = {{"constant", sim::LearningRateSchedule::kConstant},
                                                                  {"linear", sim::LearningRateSchedule::kLinear}};
inline const Choices<sim::MaskingSchedule> kMaskingNames = {{"static", sim::MaskingSchedule::kStatic},
                                                            {"dynamic", sim::MaskingSchedule::kDynamic}};

void AddLossCommand(CLI::App& app, int& status);
void AddAssumptionsCommand(CLI::App& app, int& status);
void AddVerifyCommand(CLI::App& app, int& status);
void AddTrainCommand(CLI::App& app, int& status);

}  // namespace ldaformer::app
