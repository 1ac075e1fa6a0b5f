// `ldaformer train`: trains the one-layer transformer (sim/) on a sampled or given corpus and writes the
// learned matrices, the norm trajectories, bucket attention statistics on held-out unmasked documents,
// the verify/ predicates of the trained matrices, and PNG heatmaps and curves.
//
// Settings are layered: defaults, then `--preset authors`, then the scenario file's `training:` section,
// then the command-line flags.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/checkpoint.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/sim/training_yaml.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_fields.hpp"
#include "ldaformer/claims/attention_buckets.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/app/cli.hpp"
#include "ldaformer/claims/gram_averages.hpp"
#include "ldaformer/report/plots.hpp"
#include "ldaformer/claims/stage_separation.hpp"

namespace ldaformer::app {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The command-line flags; each overrides the scenario file only when given.
struct TrainFlags {
  std::string scenario_file, corpus_file, heldout_file, preset, out_dir = "train-out", resume_file;
  std::optional<std::string> optimizer, loss, schedule, embedding, attention, value, decoder, masking;
  std::optional<double> lr, init_scale, l2;
  std::optional<int> steps, batch, d, d_k, threads, record_every, checkpoint_every, stop_at;
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> documents, heldout_documents;
};

void ApplyFlags(const TrainFlags& f, sim::TrainingSection& section) {
  sim::TrainingOptions& o = section.options;
  if (f.optimizer) o.optimizer.kind = Choose("--optimizer", *f.optimizer, kOptimizerNames);
  if (f.loss) o.model.loss = Choose("--loss", *f.loss, kLossNames);
  if (f.schedule) o.optimizer.schedule = Choose("--schedule", *f.schedule, kScheduleNames);
  if (f.embedding) o.model.embedding = Choose<sim::EmbeddingMode>("--embedding", *f.embedding, {{"trainable", sim::EmbeddingMode::kTrainable}, {"one_hot", sim::EmbeddingMode::kOneHot}});
  if (f.attention) o.model.attention = Choose<sim::AttentionMode>("--attention", *f.attention, {{"trainable", sim::AttentionMode::kTrainable}, {"uniform", sim::AttentionMode::kUniform}});
  if (f.value) o.model.value = Choose<sim::ValueMode>("--value", *f.value, {{"trainable", sim::ValueMode::kTrainable}, {"identity", sim::ValueMode::kIdentity}, {"block", sim::ValueMode::kBlock}});
  if (f.decoder) o.model.decoder = Choose<theory::Decoder>("--decoder", *f.decoder, {{"identity", theory::Decoder::kIdentity}, {"tied", theory::Decoder::kTied}});
  if (f.masking) o.masking = Choose("--masking", *f.masking, kMaskingNames);
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

void WriteTrajectoryCsv(const std::string& path, const sim::TrainingResult& r) {
  std::ofstream out(path);
  out << "step,objective,batch_loss,norm_E,norm_W_K,norm_W_Q,norm_W_V\n";
  for (const auto& p : r.trajectory) {
    out << fmt::format("{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", p.step, p.objective, p.data_loss,
                       p.norm_E, p.norm_W_K, p.norm_W_Q, p.norm_W_V);
  }
  if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", path));
}

json BucketsJson(const claims::AttentionBuckets& a) {
  auto bucket = [](const claims::AttentionBucket& b) {
    return json{{"mean", b.mean}, {"standard_error", b.standard_error}, {"pairs", b.pairs}};
  };
  return {{"applicable", a.applicable}, {"reason", a.reason}, {"documents", a.documents},
          {"same_token", bucket(a.same_token)}, {"same_topic", bucket(a.same_topic)},
          {"different_topic", bucket(a.different_topic)}, {"margin", a.margin},
          {"margin_standard_error", a.margin_standard_error}, {"holds", a.holds}};
}

json OptionsJson(const sim::TrainingSection& s) {
  const sim::TrainingOptions& o = s.options;
  return {{"preset", s.authors_preset ? "authors" : "none"},
          {"optimizer", theory::NameOf(o.optimizer.kind)}, {"lr", o.optimizer.lr},
          {"schedule", theory::NameOf(o.optimizer.schedule)}, {"steps", o.steps}, {"batch", o.batch},
          {"loss", theory::NameOf(o.model.loss)}, {"init_scale", o.init_scale},
          {"embedding", theory::NameOf(o.model.embedding)}, {"attention", theory::NameOf(o.model.attention)},
          {"value", theory::NameOf(o.model.value)}, {"decoder", theory::NameOf(o.model.decoder)},
          {"d", o.model.d}, {"d_k", o.model.d_k},
          {"l2", {{"E", o.model.l2.E}, {"W_K", o.model.l2.W_K}, {"W_Q", o.model.l2.W_Q}, {"W_V", o.model.l2.W_V}}},
          {"masking", theory::NameOf(o.masking)}, {"seed", o.seed}, {"threads", o.threads},
          {"documents", s.documents}, {"heldout_documents", s.heldout_documents}, {"corpus_seed", s.corpus_seed}};
}

json CorpusJson(const theory::Corpus& corpus, const std::string& file) {
  return {{"documents", corpus.documents.size()}, {"tokens", corpus.TokenCount()},
          {"fingerprint", fmt::format("{:016x}", corpus.Fingerprint())}, {"file", file}};
}

// A checkpoint continues only the run that wrote it: the same scenario, corpus and options (threads
// aside, which do not change the result; and steps, when a constant learning rate lets a run be
// extended). Throws naming the first field that differs.
void RequireSameRun(const json& checkpoint_meta, const json& meta, const std::string& source) {
  auto differs = [&](const json& was, const json& is, const std::string& field) {
    if (was != is) {
      throw std::invalid_argument(fmt::format("--resume {}: the checkpoint's run had {} = {}, this run has {}", source,
                                              field, was.dump(), is.dump()));
    }
  };
  if (!checkpoint_meta.contains("options") || !checkpoint_meta.contains("corpus")) {
    throw std::invalid_argument(
        fmt::format("--resume {}: the checkpoint does not record the run's options and corpus", source));
  }
  differs(checkpoint_meta.value("scenario", json()), meta.at("scenario"), "scenario");
  for (const std::string field : {"documents", "tokens", "fingerprint"}) {
    differs(checkpoint_meta["corpus"].value(field, json()), meta["corpus"][field], "corpus " + field);
  }
  const json& options = meta.at("options");
  const bool extensible = options.at("schedule") == "constant";
  for (const auto& [field, value] : options.items()) {
    if (field == "threads" || (field == "steps" && extensible)) continue;
    differs(checkpoint_meta["options"].value(field, json()), value, field);
  }
}

void WritePlots(const std::string& dir, const theory::Scenario& scenario, const sim::TrainingResult& r,
                const theory::Matrix& gram, const theory::Matrix& scores) {
  const int m = scenario.topics.disjoint_uniform ? scenario.topics.m() : 0;
  auto heatmap = [&](const std::string& name, const theory::Matrix& X, const std::string& title, const std::string& x,
                     const std::string& y) {
    report::HeatmapOptions h;
    h.title = title;
    h.x_label = x;
    h.y_label = y;
    h.block_size = m;
    report::WriteHeatmapPng(dir + "/" + name + ".png", X, h);
  };
  heatmap("gram", gram, "trained embedding Gram matrix E^T E (words)", "word", "word");
  heatmap("W_V", r.params.W_V, "trained W^V", "column", "row");
  heatmap("scores", scores, "attention scores S(query, key)", "key token", "query token");
  std::vector<double> steps;
  claims::Curve E{"||E||", {}, {}}, K{"||W^K||", {}, {}}, Q{"||W^Q||", {}, {}}, V{"||W^V||", {}, {}}, loss{"batch loss", {}, {}};
  for (const auto& p : r.trajectory) {
    for (claims::Curve* c : {&E, &K, &Q, &V, &loss}) c->x.push_back(p.step);
    E.y.push_back(p.norm_E);
    K.y.push_back(p.norm_W_K);
    Q.y.push_back(p.norm_W_Q);
    V.y.push_back(p.norm_W_V);
    loss.y.push_back(p.data_loss);
  }
  claims::CurvePlotOptions norms;
  norms.title = "Frobenius norms during training";
  norms.x_label = "step";
  norms.y_label = "norm";
  norms.log_y = true;
  std::vector<claims::Curve> norm_curves;
  for (const claims::Curve& c : {E, K, Q, V}) {
    if (c.y.front() > 0.0) norm_curves.push_back(c);  // a frozen zero matrix has no place on a log axis
  }
  report::WriteCurvesPng(dir + "/norms.png", norm_curves, norms);
  claims::CurvePlotOptions losses;
  losses.title = "minibatch loss per selected token";
  losses.x_label = "step";
  losses.y_label = "loss";
  report::WriteCurvesPng(dir + "/loss.png", {loss}, losses);
}

int RunTrain(const TrainFlags& flags) {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  YAML::Node root;
  if (!flags.scenario_file.empty()) {
    scenario = theory::LoadScenarioFile(flags.scenario_file);
    root = theory::yaml::LoadFile(flags.scenario_file);
  }
  sim::TrainingSection section;
  if (!flags.preset.empty()) {
    if (flags.preset != "authors") throw std::invalid_argument(fmt::format("--preset must be authors, got '{}'", flags.preset));
    section.authors_preset = true;
    section.options = sim::AuthorsTrainingOptions();
  }
  try {
    section = sim::ParseTrainingSection(root, section);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", flags.scenario_file, e.what()));
  }
  if (section.authors_preset) scenario = sim::AuthorsScenario(scenario);
  ApplyFlags(flags, section);
  section.options.Validate(scenario.tokens());

  const theory::Corpus corpus = flags.corpus_file.empty()
                                 ? theory::SampleCorpus(scenario, section.documents, section.corpus_seed)
                                 : theory::ReadCorpus(flags.corpus_file, scenario.topics.v);
  const theory::Corpus heldout = flags.heldout_file.empty()
                                  ? theory::SampleCorpus(scenario, section.heldout_documents, section.corpus_seed + 1)
                                  : theory::ReadCorpus(flags.heldout_file, scenario.topics.v);
  std::cout << scenario.Describe() << "\n";
  std::cout << fmt::format("corpus: {} documents, {} tokens ({}); held out: {} documents ({})\n",
                           corpus.documents.size(), corpus.TokenCount(),
                           flags.corpus_file.empty() ? "sampled" : flags.corpus_file, heldout.documents.size(),
                           flags.heldout_file.empty() ? "sampled" : flags.heldout_file);

  const std::string& dir = flags.out_dir;
  const std::string checkpoint_path = dir + "/checkpoint.json";
  const json meta = {{"scenario", scenario.Describe()},
                     {"options", OptionsJson(section)},
                     {"corpus", CorpusJson(corpus, flags.corpus_file)}};
  section.options.on_checkpoint = [&](const sim::TrainingState& state) {
    sim::WriteCheckpoint(checkpoint_path, {state, meta});
  };
  std::optional<sim::TrainingState> resumed;
  if (!flags.resume_file.empty()) {
    sim::Checkpoint checkpoint = sim::ReadCheckpoint(flags.resume_file);
    RequireSameRun(checkpoint.meta, meta, flags.resume_file);
    resumed = std::move(checkpoint.state);
    std::cout << fmt::format("resuming from step {} ({})\n", resumed->step(), flags.resume_file);
  }
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw std::runtime_error(fmt::format("--out: cannot create directory '{}': {}", dir, error.message()));

  const sim::TrainingResult result = resumed ? sim::Train(corpus, scenario, section.options, std::move(*resumed))
                                             : sim::Train(corpus, scenario, section.options);
  const sim::ModelConfig& config = section.options.model;
  const sim::Evaluation heldout_loss =
      sim::EvaluateCorpus(result.params, heldout, scenario, config, section.options.seed + 1, section.options.threads);

  const std::vector<int> topics = claims::WordTopics(scenario.topics);
  const int v = scenario.topics.v;
  const theory::Matrix scores = theory::Tabulate(result.params).scores;
  const claims::GramAverages gram = claims::MeasureGramAverages(result.params.E, topics, v);
  const claims::BlockStructure value_block = claims::MeasureBlockStructure(result.params.W_V, topics, v);
  const claims::AttentionBuckets buckets =
      claims::MeasureAttentionBuckets(scores, heldout.documents, topics, section.options.threads);
  claims::NormTrajectory norms;
  for (const auto& p : result.trajectory) {
    norms.t.push_back(p.step);
    norms.norm_K.push_back(p.norm_W_K);
    norms.norm_Q.push_back(p.norm_W_Q);
    norms.norm_V.push_back(p.norm_W_V);
  }
  std::optional<claims::StageSeparation> stages;
  if (norms.t.size() >= 2) stages = claims::MeasureStageSeparation(norms);

  sim::WriteCheckpoint(checkpoint_path, {result.State(), meta});
  report::WriteMatrixCsv(dir + "/E.csv", result.params.E);
  report::WriteMatrixCsv(dir + "/W_K.csv", result.params.W_K);
  report::WriteMatrixCsv(dir + "/W_Q.csv", result.params.W_Q);
  report::WriteMatrixCsv(dir + "/W_V.csv", result.params.W_V);
  const theory::Matrix gram_matrix = result.params.E.leftCols(v).transpose() * result.params.E.leftCols(v);
  report::WriteMatrixCsv(dir + "/gram.csv", gram_matrix);
  report::WriteMatrixCsv(dir + "/scores.csv", scores);
  WriteTrajectoryCsv(dir + "/trajectory.csv", result);

  json report = {
      {"scenario", scenario.Describe()},
      {"options", OptionsJson(section)},
      {"corpus", meta.at("corpus")},
      {"heldout", {{"documents", heldout.documents.size()}, {"file", flags.heldout_file}}},
      {"termination", theory::NameOf(result.termination)},
      {"message", result.message},
      {"steps_taken", result.steps_taken},
      {"seconds", result.seconds},
      {"steps_per_second", result.StepsPerSecond()},
      {"final_batch_loss", result.trajectory.empty() ? 0.0 : result.trajectory.back().data_loss},
      {"heldout_loss", heldout_loss.data_loss},
      {"gram", {{"margin", gram.margin.value}, {"off_diagonal_margin", gram.off_diagonal_margin.value},
                {"block", ToJson(gram.block)}, {"holds", gram.holds}}},
      {"W_V_block", ToJson(value_block)},
      {"attention_buckets", BucketsJson(buckets)},
      {"trajectory", sim::TrajectoryToJson(result.trajectory)},
  };
  if (stages) {
    report["stages"] = {{"applicable", stages->applicable}, {"reason", stages->reason}, {"t_V", stages->t_V},
                        {"t_KQ", stages->t_KQ}, {"t_KQ_half", stages->t_KQ_half}, {"margin", stages->margin},
                        {"v_change_after_KQ", stages->v_change_after_KQ}, {"holds", stages->holds}};
  }
  if (section.authors_preset) report["differences_from_authors_code"] = sim::AuthorsPresetDifferences();
  std::ofstream(dir + "/report.json") << report.dump(2) << "\n";
  const bool plots = report::GnuplotAvailable();
  if (plots) WritePlots(dir, scenario, result, gram_matrix, scores);

  std::cout << fmt::format("training {}: {} ({:.1f} steps/s)\n", theory::NameOf(result.termination), result.message,
                           result.StepsPerSecond());
  std::cout << fmt::format("loss per selected token: last minibatch {:.4f}, held out {:.4f}\n",
                           report["final_batch_loss"].get<double>(), heldout_loss.data_loss);
  std::cout << fmt::format("Gram E^T E: margin {:.4g}, off-diagonal margin {:.4g}\n", gram.margin.value,
                           gram.off_diagonal_margin.value);
  std::cout << fmt::format("W^V block structure: margin {:.4g}, contrast {:.4g}, residual {:.3f}\n", value_block.margin,
                           value_block.contrast, value_block.relative_residual);
  std::cout << fmt::format("attention (x N) on {} held-out unmasked documents: same token {:.3f}, same topic {:.3f}, "
                           "different topic {:.3f}; margin {:.4f} +- {:.4f}\n",
                           buckets.documents, buckets.same_token.mean, buckets.same_topic.mean,
                           buckets.different_topic.mean, buckets.margin, buckets.margin_standard_error);
  if (stages) {
    std::cout << (stages->applicable
                      ? fmt::format("stages: t_V {:.0f}, t_KQ {:.0f}, log(t_KQ / t_V) {:.3f}\n", stages->t_V,
                                    stages->t_KQ, stages->margin)
                      : fmt::format("stages: not applicable ({})\n", stages->reason));
  }
  if (result.termination == sim::Termination::kStopped) {
    std::cout << fmt::format("continue with the same flags and --resume {}\n", checkpoint_path);
  }
  if (section.authors_preset) {
    std::cout << "authors' preset; not reproduced from their code:\n";
    for (const std::string& d : sim::AuthorsPresetDifferences()) std::cout << "  - " << d << "\n";
  }
  std::cout << fmt::format("written to {}/ (checkpoint.json, report.json, CSV{})\n", dir,
                           plots ? ", PNG" : "; no PNG: gnuplot not found");
  return result.termination == sim::Termination::kDiverged ? 1 : 0;
}

}  // namespace

void AddTrainCommand(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("train", "Train the one-layer transformer on a sampled or given corpus");
  auto f = std::make_shared<TrainFlags>();
  cmd->add_option("--scenario", f->scenario_file, "Scenario YAML (with an optional training: section)");
  cmd->add_option("--corpus", f->corpus_file, "Training corpus in the token-id format (default: sampled)");
  cmd->add_option("--heldout-corpus", f->heldout_file, "Held-out corpus for loss and attention buckets (default: sampled)");
  cmd->add_option("--preset", f->preset, "authors: the authors' masking, keys, 4 specials, CE, Adam 0.01, batch 40");
  cmd->add_option("--optimizer", f->optimizer, "sgd or adam");
  cmd->add_option("--lr", f->lr, "Learning rate");
  cmd->add_option("--schedule", f->schedule, "constant or linear (decay to 0)");
  cmd->add_option("--steps", f->steps, "Optimizer steps");
  cmd->add_option("--batch", f->batch, "Documents per minibatch");
  cmd->add_option("--loss", f->loss, "sq or ce");
  cmd->add_option("--init-scale", f->init_scale, "Trained matrices start at N(0, EPS^2)");
  cmd->add_option("--embedding", f->embedding, "trainable or one_hot");
  cmd->add_option("--attention", f->attention, "trainable or uniform (frozen)");
  cmd->add_option("--value", f->value, "trainable, identity (frozen) or block (frozen)");
  cmd->add_option("--decoder", f->decoder, "identity or tied");
  cmd->add_option("--d", f->d, "Embedding width (0: n)");
  cmd->add_option("--d-k", f->d_k, "Key/query width (0: d)");
  cmd->add_option("--l2", f->l2, "L2 penalty lambda ||X||_F^2 on every trained matrix");
  cmd->add_option("--masking", f->masking, "static (once per document) or dynamic (every epoch)");
  cmd->add_option("--seed", f->seed, "Seed of initialisation, masks and batch order");
  cmd->add_option("--threads", f->threads, "Threads per minibatch (0: all cores; the result does not depend on it)");
  cmd->add_option("--record-every", f->record_every, "Trajectory resolution in steps");
  cmd->add_option("--docs", f->documents, "Sampled training documents");
  cmd->add_option("--heldout", f->heldout_documents, "Sampled held-out documents");
  cmd->add_option("--out", f->out_dir, "Output directory (default train-out)");
  cmd->add_option("--checkpoint-every", f->checkpoint_every, "Also write OUT/checkpoint.json every K steps during the run");
  cmd->add_option("--stop-at", f->stop_at, "Stop after K of --steps steps, leaving a checkpoint to resume from");
  cmd->add_option("--resume", f->resume_file, "Continue the run of this checkpoint (same flags; --threads may differ)");
  cmd->callback([f, &status] { status = RunTrain(*f); });
}

}  // namespace ldaformer::app
