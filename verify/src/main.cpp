// The ldaformer command-line tool.
#include <exception>
#include <iostream>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/verify/loss_command.hpp"

namespace {

using namespace ldaformer;

// Exit codes: 0 success, 1 a claim or computation failed, 2 bad input.
constexpr int kBadInput = 2;

void AddLossCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("loss", "Population loss of a parameter setting under a scenario");
  auto scenario_file = std::make_shared<std::string>();
  auto method = std::make_shared<std::string>("exact");
  auto loss = std::make_shared<std::string>("squared");
  auto request = std::make_shared<verify::LossRequest>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--scenario", *scenario_file, "Scenario YAML file (default: the paper's synthetic setting)");
  cmd->add_option("--method", *method, "exact or mc")->check(CLI::IsMember({"exact", "mc"}));
  cmd->add_option("--loss", *loss, "squared or cross_entropy")->check(CLI::IsMember({"squared", "cross_entropy", "ce"}));
  cmd->add_option("--params", request->params, "zero | identity | random:SEED | block:a,b,c");
  cmd->add_option("--samples", request->samples, "Monte Carlo documents (>= 2)");
  cmd->add_option("--seed", request->seed, "Monte Carlo seed");
  cmd->add_option("--threads", request->threads, "Monte Carlo threads (0: all cores; the result does not depend on it)");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([=, &status] {
    request->scenario = scenario_file->empty() ? theory::PaperSyntheticScenario()
                                               : theory::LoadScenarioFile(*scenario_file);
    request->method = *method == "mc" ? verify::LossMethod::kMonteCarlo : verify::LossMethod::kExact;
    request->loss = *loss == "squared" ? theory::LossKind::kSquared : theory::LossKind::kCrossEntropy;
    const verify::LossResult result = verify::EvaluateLoss(*request);
    if (*json) {
      std::cout << verify::ToJson(*request, result).dump(2) << "\n";
    } else {
      std::cout << request->scenario.Describe() << "\n";
      std::cout << fmt::format("params {}  loss {}  method {} ({})\n", request->params,
                               theory::ToString(request->loss), result.method, result.path);
      if (result.method == "mc") {
        std::cout << fmt::format("L = {:.10g} +- {:.3g} (1 s.e., {} documents, seed {})\n", result.loss,
                                 result.standard_error, request->samples, request->seed);
      } else {
        std::cout << fmt::format("L = {:.15g}\n", result.loss);
      }
    }
    status = 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ldaformer: numerical verification of how transformers learn topic structure"};
  app.require_subcommand(1);
  int status = 0;
  AddLossCommand(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; a malformed command line is bad input like any other.
    return app.exit(e) == 0 ? 0 : kBadInput;
  } catch (const std::invalid_argument& e) {
    std::cerr << "ldaformer: error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "ldaformer: error: out of memory (is the scenario much larger than intended?)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ldaformer: error: " << e.what() << "\n";
    return 1;
  }
  return status;
}
