// The subcommands of the `ldaformer` tool, private to the executable (the only sources that include
// CLI11). Each Add*Command registers one subcommand on `app`; its callback sets `status` (0 success, 1 a
// claim or computation failed). Bad input throws std::invalid_argument, which main() turns into exit code
// kBadInput. A string-valued choice (--loss, --optimizer, ...) is read with theory::ParseName, so it is
// spelled as in the scenario file and its error names the flag and the allowed names.
#pragma once

#include <CLI/CLI.hpp>

namespace ldaformer::app {

constexpr int kBadInput = 2;

void AddLossCommand(CLI::App& app, int& status);
void AddAssumptionsCommand(CLI::App& app, int& status);
void AddVerifyCommand(CLI::App& app, int& status);
void AddTrainCommand(CLI::App& app, int& status);

}  // namespace ldaformer::app
