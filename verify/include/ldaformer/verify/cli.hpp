// The subcommands of the `ldaformer` tool. Each Add*Command registers one subcommand on `app`; its
// callback sets `status` (0 success, 1 a claim or computation failed). Bad input throws
// std::invalid_argument, which main() turns into exit code kBadInput.
#pragma once

#include <CLI/CLI.hpp>

namespace ldaformer::verify {

constexpr int kBadInput = 2;

void AddLossCommand(CLI::App& app, int& status);
void AddAssumptionsCommand(CLI::App& app, int& status);
void AddVerifyCommand(CLI::App& app, int& status);
void AddTrainCommand(CLI::App& app, int& status);

}  // namespace ldaformer::verify
