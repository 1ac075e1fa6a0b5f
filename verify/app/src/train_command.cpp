#include "ldaformer/app/train_command.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ldaformer/claims/attention_buckets.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/gram_averages.hpp"
#include "ldaformer/claims/stage_separation.hpp"
#include "ldaformer/report/staged_directory.hpp"
#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/checkpoint.hpp"
#include "ldaformer/sim/encoder_checkpoint.hpp"
#ifdef LDAFORMER_WITH_TORCH
#include "ldaformer/sim/encoder_objective.hpp"
#endif
#include "ldaformer/sim/encoder_trainer.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/input_file.hpp"

namespace ldaformer::app {

namespace {

using nlohmann::json;

// Throws naming the first field in which the checkpoint's run differs from this one.
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

// The norm trajectory of a run's recorded points; norms_of(point) gives ||W^K||, ||W^Q||, ||W^V|| (of one layer).
template <class Point, class NormsOf>
claims::NormTrajectory Norms(const std::vector<Point>& trajectory, NormsOf norms_of) {
  claims::NormTrajectory norms;
  for (const Point& p : trajectory) {
    const auto [K, Q, V] = norms_of(p);
    norms.t.push_back(p.step);
    norms.norm_K.push_back(K);
    norms.norm_Q.push_back(Q);
    norms.norm_V.push_back(V);
  }
  return norms;
}

// The run's record (scenario, options) from the request, its options validated, and its training and held-out
// corpora (read or sampled), recorded in `run`.
std::pair<theory::Corpus, theory::Corpus> ResolveRun(const TrainRequest& request, report::TrainRun& run) {
  run.section = request.file.training;
  run.scenario =
      run.section.preset != sim::Preset::kNone ? sim::AuthorsScenario(request.file.scenario) : request.file.scenario;
  const theory::Scenario& scenario = run.scenario;
  run.section.options.Validate(scenario.tokens());
  if (!request.corpus_file.empty()) theory::RequireInputFile(request.corpus_file, "--corpus");
  if (!request.heldout_file.empty()) theory::RequireInputFile(request.heldout_file, "--heldout-corpus");
  theory::Corpus corpus = request.corpus_file.empty()
                              ? theory::SampleCorpus(scenario, run.section.documents, run.section.corpus_seed)
                              : theory::ReadCorpus(request.corpus_file, scenario.topics.v);
  theory::Corpus heldout = request.heldout_file.empty() ? theory::SampleCorpus(scenario, run.section.heldout_documents,
                                                                               run.section.corpus_seed + 1)
                                                        : theory::ReadCorpus(request.heldout_file, scenario.topics.v);
  run.corpus = report::CorpusRecord::Of(corpus, request.corpus_file);
  run.heldout = report::CorpusRecord::Of(heldout, request.heldout_file);
  return {std::move(corpus), std::move(heldout)};
}

// The state of the --resume checkpoint (read by `read`, a file of the same run), or none without --resume.
template <class Read>
auto ResumedState(const TrainRequest& request, const json& meta, Read read, int& resumed_from)
    -> std::optional<decltype(read(request.resume_file).state)> {
  if (request.resume_file.empty()) return std::nullopt;
  theory::RequireInputFile(request.resume_file, "--resume");
  auto checkpoint = read(request.resume_file);
  RequireSameRun(checkpoint.meta, meta, request.resume_file);
  resumed_from = checkpoint.state.step();
  return std::move(checkpoint.state);
}

void CreateDirectory(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(fmt::format("--out: cannot create directory '{}': {}", dir, error.message()));
}

}  // namespace

TrainResult RunTrain(const TrainRequest& request) {
  TrainResult result;
  report::TrainRun& run = result.run;
  const auto [corpus, heldout] = ResolveRun(request, run);
  const theory::Scenario& scenario = run.scenario;
  sim::TrainingOptions options = run.section.options;

  const std::string& dir = request.out_directory;
  result.checkpoint_path = dir + "/checkpoint.json";
  const json meta = report::ToJson(run);
  options.on_checkpoint = [&](const sim::TrainingState& state) {
    sim::WriteCheckpoint(result.checkpoint_path, {state, meta});
  };
  std::optional<sim::TrainingState> resumed = ResumedState(request, meta, sim::ReadCheckpoint, result.resumed_from);
  // The report is staged beside OUT and replaces it whole at the end (an OUT of an earlier run holds
  // checkpoint.json); the periodic checkpoints go to OUT itself, where a resume finds them.
  report::StagedDirectory staged(dir, "checkpoint.json");
  CreateDirectory(dir);

  result.training =
      resumed ? sim::Train(corpus, scenario, options, std::move(*resumed)) : sim::Train(corpus, scenario, options);
  // A diverged run has nothing to measure (its matrices may not be finite) and writes nothing: the last
  // periodic checkpoint, if any, stays the state to resume from with a lower learning rate.
  if (result.training.termination == sim::Termination::kDiverged) return result;
  const theory::TransformerParams& params = result.training.params;
  result.heldout = sim::EvaluateCorpus(params, heldout, scenario, options.model, options.seed + 1, options.threads);

  const std::vector<int> topics = claims::WordTopics(scenario.topics);
  const int v = scenario.topics.v;
  result.scores = theory::Tabulate(params).scores;
  result.gram_matrix = params.E.leftCols(v).transpose() * params.E.leftCols(v);
  result.gram = claims::MeasureGramAverages(params.E, topics, v);
  // The word-to-logit map of the value path: W^V itself when it is n x n, else (a tied decoder on d < n)
  // W^O W^V E = E^T W^V E.
  const theory::Matrix value_map =
      params.W_V.rows() == params.n() ? params.W_V : theory::Matrix(params.E.transpose() * params.W_V * params.E);
  result.value_block = claims::MeasureBlockStructure(value_map, topics, v);
  if (params.W_V.rows() == params.n()) result.value_columns = claims::MeasureValueColumns(params.W_V, topics);
  result.buckets = claims::MeasureAttentionBuckets(result.scores, heldout.documents, topics, options.threads);
  const claims::NormTrajectory norms = Norms(result.training.trajectory, [](const sim::TrajectoryPoint& p) {
    return std::array{p.norm_W_K, p.norm_W_Q, p.norm_W_V};
  });
  if (norms.t.size() >= 2) result.stages = claims::MeasureStageSeparation(norms);
  sim::WriteCheckpoint(staged.path() + "/checkpoint.json", {result.training.State(), meta});
  result.directory = dir;
  result.plots = report::WriteTrainReport(result, staged.path());
  staged.Commit();
  return result;
}

EncoderTrainResult RunEncoderTrain(const TrainRequest& request) {
#ifndef LDAFORMER_WITH_TORCH
  (void)request;
  throw std::invalid_argument(
      "training: the encoder (layers, heads, block parts, input path, init pytorch) needs LibTorch; this build has "
      "LDAFORMER_WITH_TORCH=OFF");
#else
  EncoderTrainResult result;
  report::TrainRun& run = result.run;
  const auto [corpus, heldout] = ResolveRun(request, run);
  const theory::Scenario& scenario = run.scenario;
  sim::TrainingOptions options = run.section.options;
  const std::string& dir = request.out_directory;
  result.checkpoint_path = dir + "/checkpoint.json";
  const json meta = report::ToJson(run);
  options.on_encoder_checkpoint = [&](const sim::EncoderTrainingState& state) {
    sim::WriteEncoderCheckpoint(result.checkpoint_path, {state, meta});
  };
  std::optional<sim::EncoderTrainingState> resumed =
      ResumedState(request, meta, sim::ReadEncoderCheckpoint, result.resumed_from);
  // As RunTrain: the report replaces OUT whole, the periodic checkpoints go to OUT itself.
  report::StagedDirectory staged(dir, "checkpoint.json");
  CreateDirectory(dir);

  result.training = resumed ? sim::TrainEncoder(corpus, scenario, options, std::move(*resumed))
                            : sim::TrainEncoder(corpus, scenario, options);
  if (result.training.termination == sim::Termination::kDiverged) return result;
  const sim::EncoderParams& params = result.training.params;
  const sim::EncoderConfig config{options.model, options.architecture};
  result.heldout = sim::EvaluateEncoder(params, config, sim::MaskCorpus(heldout, scenario, options.seed + 1), nullptr,
                                        options.threads);
  // Per layer: stage 1 when ||W^V|| has grown tenfold (a first layer's W^V grows again with attention), and
  // attention learned only when ||W^K||, ||W^Q|| reach norm 1.
  result.stage_options.attention_level = 1.0;
  result.stage_options.value_time = claims::ValueStageTime::kTenfold;
  const std::vector<int> topics = claims::WordTopics(scenario.topics);
  for (std::size_t l = 0; l < params.layers.size(); ++l) {
    const claims::NormTrajectory norms = Norms(result.training.trajectory, [l](const sim::EncoderTrajectoryPoint& p) {
      return std::array{p.layers[l].W_K, p.layers[l].W_Q, p.layers[l].W_V};
    });
    result.stages.push_back(norms.t.size() >= 2 ? claims::MeasureStageSeparation(norms, result.stage_options)
                                                : claims::StageSeparation{});
    const theory::Matrix& W_V = params.layers[l].W_V;
    result.value_columns.push_back(W_V.rows() == params.n() ? std::optional(claims::MeasureValueColumns(W_V, topics))
                                                            : std::nullopt);
  }
  // Bucket attention per layer, a slice of documents at a time (a document's attention is u^2 per layer).
  std::vector<claims::AttentionBucketSums> buckets(params.layers.size(), claims::AttentionBucketSums(topics));
  constexpr std::size_t kSlice = 256;
  for (std::size_t first = 0; first < heldout.documents.size(); first += kSlice) {
    const std::vector<std::vector<int> > slice(
        heldout.documents.begin() + first,
        heldout.documents.begin() + std::min(heldout.documents.size(), first + kSlice));
    for (const sim::DocumentLayerAttention& doc : sim::EncoderAttention(params, config, slice, options.threads)) {
      for (std::size_t l = 0; l < buckets.size(); ++l) buckets[l].Add({doc.tokens, doc.counts, doc.layers[l]});
    }
  }
  for (const claims::AttentionBucketSums& sums : buckets) result.buckets.push_back(sums.Result());
  result.directory = dir;
  sim::WriteEncoderCheckpoint(staged.path() + "/checkpoint.json", {result.training.State(), meta});
  result.plots = report::WriteEncoderTrainReport(result, staged.path());
  staged.Commit();
  return result;
#endif
}

}  // namespace ldaformer::app
