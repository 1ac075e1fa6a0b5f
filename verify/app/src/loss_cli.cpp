// `ldaformer loss`: command-line front end of EvaluateLoss.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/loss_command.hpp"
#include "ldaformer/app/scenario_file.hpp"

namespace ldaformer::app {

void AddLossCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("loss", "Population loss of a parameter setting under a scenario");
  auto method = std::make_shared<std::string>();
  auto model = std::make_shared<std::string>("linear");
  auto loss = std::make_shared<std::string>("squared");
  auto request = std::make_shared<LossRequest>();
  auto json = std::make_shared<bool>(false);
  auto scenario = AddScenarioFlags(cmd, "Scenario YAML file (default: the paper's synthetic setting)");
  auto* method_option = cmd->add_option(
      "--method", *method,
      theory::NameList<LossMethod>() + " (mc: Monte Carlo; default: exact where a closed form exists, else mc)");
  cmd->add_option("--model", *model,
                  theory::NameList<LossModel>() +
                      " (linear: uniform attention, y = M xbar + b; transformer: softmax attention, Monte Carlo)");
  cmd->add_option("--loss", *loss, theory::NameList<theory::LossKind>());
  cmd->add_option("--params", request->params,
                  "zero | identity | random:SEED | block:a,b,c | checkpoint:FILE (transformer only)");
  AddInteger(cmd, "--samples", request->samples, "Monte Carlo documents (>= 2)", 2);
  AddSeed(cmd, "--seed", request->seed, "Monte Carlo seed");
  AddThreads(cmd, "--threads", request->threads, "Monte Carlo threads; the result does not depend on it");
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([=, &status] {
    request->scenario = scenario->Read().scenario;
    if (method_option->count() > 0) request->method = theory::ParseName<LossMethod>("--method", *method);
    request->model = theory::ParseName<LossModel>("--model", *model);
    request->loss = theory::ParseName<theory::LossKind>("--loss", *loss);
    const LossResult result = EvaluateLoss(*request);
    if (*json) {
      std::cout << report::ToJson(result).dump(2) << "\n";
    } else {
      std::cout << request->scenario.Describe() << "\n";
      std::cout << fmt::format("model {}  params {}  loss {}  method {} ({})\n", result.model, request->params,
                               theory::NameOf(request->loss), result.method, result.path);
      if (result.method == "mc") {
        std::cout << fmt::format("L = {:.10g} +- {:.3g} (1 s.e., {} documents, seed {}, {:.3g} documents/s)\n",
                                 result.loss, result.standard_error, request->samples, request->seed,
                                 double(request->samples) / result.seconds);
      } else {
        std::cout << fmt::format("L = {:.15g}\n", result.loss);
      }
    }
    status = 0;
  });
}

}  // namespace ldaformer::app
