// `ldaformer sample`: command-line front end of RunSample.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/sample_command.hpp"

namespace ldaformer::app {

void AddSampleCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("sample", "Draw a corpus from a scenario (token-id format), with its true thetas");
  auto scenario = AddScenarioFlags(cmd, "Scenario YAML file (default: the paper's synthetic setting)");
  auto request = std::make_shared<SampleRequest>();
  AddInteger(cmd, "--documents", request->documents, "Documents to draw", 1)->required();
  AddSeed(cmd, "--seed", request->seed, "Seed (document d is a pure function of scenario, seed and d)");
  cmd->add_option("--out", request->out, "Corpus file to write (one document per line)")->required();
  cmd->add_option("--thetas", request->thetas_out, "Also write the documents' true topic proportions (CSV)");
  cmd->add_option("--topics", request->topics_out, "Also write the scenario's topics beta (CSV, T rows of v)");
  AddInteger(cmd, "--infinite-length", request->infinite_length,
                  "Words per document when the length law is infinite (default 2000)", 1);
  cmd->callback([=, &status] {
    request->file = scenario->Read();
    const SampleResult result = RunSample(*request);
    std::cout << fmt::format("{} documents, {} words, v = {}\n", result.corpus.documents.size(),
                             result.corpus.TokenCount(), result.corpus.v);
    for (const std::string& file : result.files) std::cout << "wrote " << file << "\n";
    status = 0;
  });
}

}  // namespace ldaformer::app
