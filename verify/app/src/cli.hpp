// The subcommands of the `ldaformer` tool, private to the executable (the only sources that include
// CLI11). Each Add*Command registers one subcommand on `app`; its callback sets `status` (0 success, 1 a
// claim or computation failed). Bad input throws std::invalid_argument, which main() turns into exit code
// kBadInput. A string-valued choice (--loss, --optimizer, ...) is read with theory::ParseName, so it is
// spelled as in the scenario file and its error names the flag and the allowed names.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <CLI/CLI.hpp>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/theory/integer_field.hpp"

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

namespace detail {
template <class T>
struct ValueOf {
  using type = T;
};
template <class T>
struct ValueOf<std::optional<T>> {
  using type = T;
};
}  // namespace detail

// An integer flag read with theory::ParseInteger: range-checked before conversion (so "-5" never wraps to
// 2^64 - 5), "1e6" accepted when integral, and the error names the flag and the value. `target` is an
// integer or a std::optional of one, and must outlive the parse.
template <class T>
CLI::Option* AddInteger(CLI::App* cmd, const std::string& name, T& target, const std::string& help, long long lo,
                        long long hi = theory::MaxOf<typename detail::ValueOf<T>::type>()) {
  using X = typename detail::ValueOf<T>::type;
  static_assert(std::is_integral_v<X>);
  auto* option = cmd->add_option_function<std::string>(
      name,
      [&target, name, lo, hi](const std::string& text) {
        target = static_cast<X>(theory::ParseInteger(text, name, lo, hi));
      },
      help);
  return option->type_name("INT");
}

// A thread count: 0 for all cores, at most theory::MaxThreads().
template <class T>
CLI::Option* AddThreads(CLI::App* cmd, const std::string& name, T& target, const std::string& help) {
  return AddInteger(cmd, name, target, help + " (0: all cores; at most 16 per core)", 0, theory::MaxThreads());
}

// A seed: 0 .. 2^63 - 1.
template <class T>
CLI::Option* AddSeed(CLI::App* cmd, const std::string& name, T& target, const std::string& help) {
  return AddInteger(cmd, name, target, help + " (0 .. 2^63-1)", 0, std::numeric_limits<long long>::max());
}

void AddLossCommand(CLI::App& app, int& status);
void AddAssumptionsCommand(CLI::App& app, int& status);
void AddVerifyCommand(CLI::App& app, int& status);
void AddTrainCommand(CLI::App& app, int& status);
void AddSampleCommand(CLI::App& app, int& status);
void AddFigure5Command(CLI::App& app, int& status);
void AddSweepCommand(CLI::App& app, int& status);

}  // namespace ldaformer::app
