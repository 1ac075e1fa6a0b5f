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
#include "ldaformer/theory/integer_field.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::app {

namespace {

// The command-line flags; each overrides the scenario file only when given.
struct TrainFlags {
  std::string corpus_file, heldout_file, preset, out_dir = "train-out", resume_file;
  std::optional<std::string> optimizer, loss, schedule, embedding, attention, value, decoder, masking;
  std::optional<std::string> residual, layernorm, ffn, activation, output_projection, input_path, init;
  std::optional<int> layers, heads;
  std::optional<double> lr, init_scale, l2;
  std::optional<int> warmup, steps, batch, d, d_k, threads, record_every, checkpoint_every, stop_at;
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
  if (f.warmup) o.optimizer.warmup = *f.warmup;
  if (f.batch) o.batch = *f.batch;
  if (f.d) o.model.d = *f.d;
  if (f.d_k) o.model.d_k = *f.d_k;
  if (f.threads) o.threads = *f.threads == 0 ? theory::DefaultThreads() : *f.threads;
  if (f.record_every) o.record_every = *f.record_every;
  if (f.checkpoint_every) o.checkpoint_every = *f.checkpoint_every;
  if (f.stop_at) o.stop_at = *f.stop_at;
  if (f.seed) o.seed = *f.seed;
  sim::Architecture& a = o.architecture;
  auto on = [](const char* flag, const std::string& text) {
    return theory::ParseName<sim::Switch>(flag, text) == sim::Switch::kOn;
  };
  if (f.layers) a.layers = *f.layers;
  if (f.heads) a.heads = *f.heads;
  if (f.residual) a.residual = on("--residual", *f.residual);
  if (f.layernorm) a.layernorm = on("--layernorm", *f.layernorm);
  if (f.output_projection) a.output_projection = on("--output-projection", *f.output_projection);
  if (f.input_path) a.input_path = on("--input-path", *f.input_path);
  if (f.ffn) a.ffn = *f.ffn == "off" ? 0 : static_cast<int>(theory::ParseInteger(*f.ffn, "--ffn", 1, 65536));
  if (f.activation) a.activation = ParseName<sim::Activation>("--activation", *f.activation);
  if (f.init) o.initialisation = ParseName<sim::Initialisation>("--init", *f.init);
  if (f.documents) section.documents = *f.documents;
  if (f.heldout_documents) section.heldout_documents = *f.heldout_documents;
}

}  // namespace

void AddTrainCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("train", "Train the one-layer transformer on a sampled or given corpus");
  auto f = std::make_shared<TrainFlags>();
  auto scenario = AddScenarioFlags(cmd, "Scenario YAML (with an optional training: section)");
  cmd->add_option("--corpus", f->corpus_file, "Training corpus in the token-id format (default: sampled)");
  cmd->add_option("--heldout-corpus", f->heldout_file,
                  "Held-out corpus for loss and attention buckets (default: sampled)");
  cmd->add_option("--preset", f->preset,
                  theory::NameList<sim::Preset>() +
                      " (authors: their masking, keys, 4 specials, W^V only, CE, Adam 0.01, batch 40; authors-full: "
                      "every matrix)");
  cmd->add_option("--optimizer", f->optimizer, theory::NameList<sim::OptimizerKind>());
  cmd->add_option("--lr", f->lr, "Learning rate");
  cmd->add_option("--schedule", f->schedule, theory::NameList<sim::LearningRateSchedule>() + " (linear: decay to 0)");
  AddInteger(cmd, "--steps", f->steps, "Optimizer steps", 0);
  AddInteger(cmd, "--warmup", f->warmup, "Grow the learning rate linearly over the first K steps", 0);
  AddInteger(cmd, "--batch", f->batch, "Documents per minibatch", 1);
  cmd->add_option("--loss", f->loss, theory::NameList<theory::LossKind>());
  cmd->add_option("--init-scale", f->init_scale, "Trained matrices start at N(0, EPS^2)");
  cmd->add_option("--embedding", f->embedding, theory::NameList<sim::EmbeddingMode>());
  cmd->add_option("--attention", f->attention, theory::NameList<sim::AttentionMode>() + " (uniform: frozen)");
  cmd->add_option("--value", f->value, theory::NameList<sim::ValueMode>() + " (identity, block: frozen)");
  cmd->add_option("--decoder", f->decoder, theory::NameList<theory::Decoder>());
  AddInteger(cmd, "--d", f->d, "Embedding width (0: n)", 0);
  AddInteger(cmd, "--d-k", f->d_k, "Key/query width (0: d)", 0);
  cmd->add_option("--l2", f->l2, "L2 penalty lambda ||X||_F^2 on every trained matrix");
  cmd->add_option("--masking", f->masking,
                  theory::NameList<sim::MaskingSchedule>() + " (static: once per document; dynamic: every epoch)");
  AddSeed(cmd, "--seed", f->seed, "Seed of initialisation, masks and batch order");
  AddThreads(cmd, "--threads", f->threads, "Threads per minibatch; the result does not depend on it");
  AddInteger(cmd, "--record-every", f->record_every, "Trajectory resolution in steps", 1);
  AddInteger(cmd, "--docs", f->documents, "Sampled training documents", 1);
  AddInteger(cmd, "--heldout", f->heldout_documents, "Sampled held-out documents", 1);
  AddInteger(cmd, "--layers", f->layers, "Encoder layers (1 with every part off: the one-layer model)", 1, 64);
  AddInteger(cmd, "--heads", f->heads, "Attention heads per layer (dividing d)", 1, 65536);
  cmd->add_option("--residual", f->residual, theory::NameList<sim::Switch>() + ": residual connections");
  cmd->add_option("--layernorm", f->layernorm, theory::NameList<sim::Switch>() + ": LayerNorm after each sublayer");
  cmd->add_option("--ffn", f->ffn, "WIDTH or off: the feed-forward sublayer");
  cmd->add_option("--activation", f->activation, theory::NameList<sim::Activation>() + " (feed-forward)");
  cmd->add_option("--output-projection", f->output_projection,
                  theory::NameList<sim::Switch>() + ": W^O after the heads");
  cmd->add_option("--input-path", f->input_path,
                  theory::NameList<sim::Switch>() + ": the authors' trained input vector and LayerNorm");
  cmd->add_option("--init", f->init,
                  theory::NameList<sim::Initialisation>() + " (pytorch: uniform +-1/sqrt(columns), the encoder)");
  cmd->add_option("--out", f->out_dir, "Output directory (default train-out)");
  AddInteger(cmd, "--checkpoint-every", f->checkpoint_every,
             "Also write OUT/checkpoint.json every K steps during the run", 1);
  AddInteger(cmd, "--stop-at", f->stop_at, "Stop after K of --steps steps, leaving a checkpoint to resume from", 0);
  cmd->add_option("--resume", f->resume_file, "Continue the run of this checkpoint (same flags; --threads may differ)");
  cmd->callback([f, scenario, &status] {
    sim::TrainingSection defaults;
    if (!f->preset.empty()) {
      defaults.preset = theory::ParseName<sim::Preset>("--preset", f->preset);
      defaults.options = sim::PresetTrainingOptions(defaults.preset);
    }
    TrainRequest request;
    request.file = scenario->Read(defaults);
    ApplyFlags(*f, request.file.training);
    request.corpus_file = f->corpus_file;
    request.heldout_file = f->heldout_file;
    request.out_directory = f->out_dir;
    request.resume_file = f->resume_file;
    // Either model's run: exit 1 with the divergence on stderr, else the summary on stdout.
    auto finish = [&status](const auto& training, const auto& summary) {
      status = training.termination == sim::Termination::kDiverged ? 1 : 0;
      if (status != 0) {
        std::cerr << fmt::format("ldaformer: training diverged at step {}: {}\n", training.steps_taken,
                                 training.message);
        return;
      }
      std::cout << summary();
    };
    if (request.file.training.options.TrainsEncoder()) {
      const EncoderTrainResult result = RunEncoderTrain(request);
      finish(result.training, [&] { return report::FormatEncoderTrainSummary(result); });
    } else {
      const TrainResult result = RunTrain(request);
      finish(result.training, [&] { return report::FormatTrainSummary(result); });
    }
  });
}

}  // namespace ldaformer::app
