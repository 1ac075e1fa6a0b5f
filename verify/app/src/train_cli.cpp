// `ldaformer train`: command-line front end of RunTrain.
//
// Settings are layered: defaults, then `--preset authors`, then the scenario file's `training:` section,
// then the command-line flags.
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/train_command.hpp"
#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::app {

namespace {

// The command-line flags; each overrides the scenario file only when given.
struct TrainFlags {
  std::string corpus_file, heldout_file, preset, out_dir = "train-out", resume_file;
  std::optional<std::string> optimizer, loss, schedule, embedding, attention, value, decoder, masking;
  std::optional<double> lr, init_scale, l2;
  std::optional<int> steps, batch, d, d_k, threads, record_every, checkpoint_every, stop_at;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> documents, heldout_documents;
};

// The command-line flags on top of the scenario file's training section.
void ApplyFlags(const TrainFlags& f, sim::TrainingSection& section) {
  sim::TrainingOptions& o = section.options;
  using theory::ParseName;
  if (f.optimizer) o.optimizer.kind = ParseName<sim::OptimizerKind>("--optimizer", *f.optimizer);
  if (f.loss) o.model.loss = ParseName<theory::LossKind>("--loss", *f.loss);
  if (f.schedule) o.optimizer.schedule = ParseName<sim::LearningRateSchedule>("--schedule", *f.schedule);
  if (f.embedding) o.model.embedding = ParseName<sim::EmbeddingMode>("--embedding", *f.embedding);
  if (f.attention) o.model.attention = ParseName<sim::AttentionMode>("--attention", *f.attention);
  if (f.value) o.model.value = ParseName<sim::ValueMode>("--value", *f.value);
  if (f.decoder) o.model.decoder = ParseName<theory::Decoder>("--decoder", *f.decoder);
  if (f.masking) o.masking = ParseName<sim::MaskingSchedule>("--masking", *f.masking);
  if (f.lr) o.optimizer.lr = *f.lr;
  if (f.init_scale) o.init_scale = *f.init_scale;
  if (f.l2) o.model.l2 = {*f.l2, *f.l2, *f.l2, *f.l2};
  if (f.steps) o.steps = *f.steps;
  if (f.batch) o.batch = *f.batch;
  if (f.d) o.model.d = *f.d;
  if (f.d_k) o.model.d_k = *f.d_k;
  if (f.threads) o.threads = *f.threads == 0 ? theory::DefaultThreads() : *f.threads;
  if (f.record_every) o.record_every = *f.record_every;
  if (f.checkpoint_every) o.checkpoint_every = *f.checkpoint_every;
  if (f.stop_at) o.stop_at = *f.stop_at;
  if (f.seed) o.seed = *f.seed;
  if (f.documents) section.documents = *f.documents;
  if (f.heldout_documents) section.heldout_documents = *f.heldout_documents;
  if (f.documents && *f.documents < 1) throw std::invalid_argument("--docs must be >= 1, got 0");
  if (f.heldout_documents && *f.heldout_documents < 1) throw std::invalid_argument("--heldout must be >= 1, got 0");
}

}  // namespace

void AddTrainCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("train", "Train the one-layer transformer on a sampled or given corpus");
  auto f = std::make_shared<TrainFlags>();
  auto scenario = AddScenarioFlags(cmd, "Scenario YAML (with an optional training: section)");
  cmd->add_option("--corpus", f->corpus_file, "Training corpus in the token-id format (default: sampled)");
  cmd->add_option("--heldout-corpus", f->heldout_file,
                  "Held-out corpus for loss and attention buckets (default: sampled)");
  cmd->add_option("--preset", f->preset, "authors: the authors' masking, keys, 4 specials, CE, Adam 0.01, batch 40");
  cmd->add_option("--optimizer", f->optimizer, theory::NameList<sim::OptimizerKind>());
  cmd->add_option("--lr", f->lr, "Learning rate");
  cmd->add_option("--schedule", f->schedule, theory::NameList<sim::LearningRateSchedule>() + " (linear: decay to 0)");
  cmd->add_option("--steps", f->steps, "Optimizer steps");
  cmd->add_option("--batch", f->batch, "Documents per minibatch");
  cmd->add_option("--loss", f->loss, theory::NameList<theory::LossKind>());
  cmd->add_option("--init-scale", f->init_scale, "Trained matrices start at N(0, EPS^2)");
  cmd->add_option("--embedding", f->embedding, theory::NameList<sim::EmbeddingMode>());
  cmd->add_option("--attention", f->attention, theory::NameList<sim::AttentionMode>() + " (uniform: frozen)");
  cmd->add_option("--value", f->value, theory::NameList<sim::ValueMode>() + " (identity, block: frozen)");
  cmd->add_option("--decoder", f->decoder, theory::NameList<theory::Decoder>());
  cmd->add_option("--d", f->d, "Embedding width (0: n)");
  cmd->add_option("--d-k", f->d_k, "Key/query width (0: d)");
  cmd->add_option("--l2", f->l2, "L2 penalty lambda ||X||_F^2 on every trained matrix");
  cmd->add_option("--masking", f->masking,
                  theory::NameList<sim::MaskingSchedule>() + " (static: once per document; dynamic: every epoch)");
  cmd->add_option("--seed", f->seed, "Seed of initialisation, masks and batch order");
  cmd->add_option("--threads", f->threads, "Threads per minibatch (0: all cores; the result does not depend on it)");
  cmd->add_option("--record-every", f->record_every, "Trajectory resolution in steps");
  cmd->add_option("--docs", f->documents, "Sampled training documents");
  cmd->add_option("--heldout", f->heldout_documents, "Sampled held-out documents");
  cmd->add_option("--out", f->out_dir, "Output directory (default train-out)");
  cmd->add_option("--checkpoint-every", f->checkpoint_every,
                  "Also write OUT/checkpoint.json every K steps during the run");
  cmd->add_option("--stop-at", f->stop_at, "Stop after K of --steps steps, leaving a checkpoint to resume from");
  cmd->add_option("--resume", f->resume_file, "Continue the run of this checkpoint (same flags; --threads may differ)");
  cmd->callback([f, scenario, &status] {
    sim::TrainingSection defaults;
    if (!f->preset.empty()) {
      if (f->preset != "authors")
        throw std::invalid_argument(fmt::format("--preset must be authors, got '{}'", f->preset));
      defaults.authors_preset = true;
      defaults.options = sim::AuthorsTrainingOptions();
    }
    TrainRequest request;
    request.file = scenario->Read(defaults);
    ApplyFlags(*f, request.file.training);
    request.corpus_file = f->corpus_file;
    request.heldout_file = f->heldout_file;
    request.out_directory = f->out_dir;
    request.resume_file = f->resume_file;
    const TrainResult result = RunTrain(request);
    std::cout << report::FormatTrainSummary(result);
    status = TrainExitStatus(result);
  });
}

}  // namespace ldaformer::app
