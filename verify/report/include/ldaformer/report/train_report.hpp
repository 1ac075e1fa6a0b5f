// The report of `ldaformer train`: the run's record (scenario, options, corpus), report.json, the learned
// matrices and the trajectory as CSV, PNG heatmaps and curves, and the summary printed on stdout.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/claims/attention_buckets.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/gram_averages.hpp"
#include "ldaformer/claims/stage_separation.hpp"
#include "ldaformer/claims/value_columns.hpp"
#include "ldaformer/sim/encoder_trainer.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/sim/training_yaml.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::report {

// A training corpus as a report names it: its size, its fingerprint and where it came from.
struct CorpusRecord {
  std::size_t documents = 0;
  std::size_t tokens = 0;
  std::uint64_t fingerprint = 0;
  std::string file;  // empty: sampled from the scenario

  static CorpusRecord Of(const theory::Corpus& corpus, std::string file);
};

// The resolved inputs of a training run: what a checkpoint records and a resumed run must match.
struct TrainRun {
  theory::Scenario scenario;  // as trained on (the authors' scenario under their preset)
  sim::TrainingSection section;
  CorpusRecord corpus;
  CorpusRecord heldout;
};

// {"scenario": Describe(), "options": {...}, "corpus": {"documents", "tokens", "fingerprint", "file"}}.
nlohmann::json ToJson(const TrainRun& run);

// What `ldaformer train` found: the training and the predicates of the trained matrices.
struct TrainResult {
  TrainRun run;
  int resumed_from = -1;  // the checkpoint's step when the run continued one
  sim::TrainingResult training;
  sim::Evaluation heldout;     // the trained model on the held-out corpus
  theory::Matrix gram_matrix;  // E^T E over the words
  theory::Matrix scores;       // attention scores S(query, key)
  claims::GramAverages gram;
  claims::BlockStructure value_block;
  claims::AttentionBuckets buckets;                   // on the held-out unmasked documents
  std::optional<claims::StageSeparation> stages;      // when the trajectory has two points
  std::optional<claims::ValueColumns> value_columns;  // the authors' inspection of W^V, when it is n x n
  std::string checkpoint_path;
  std::string directory;  // where the report was written
  bool plots = false;     // whether PNGs were drawn (gnuplot ran)
};

// report.json: the run, the training's termination and speed, the losses, the predicates and the trajectory.
nlohmann::json ToJson(const TrainResult& result);

// Writes report.json, trajectory.csv, the CSV of every trained matrix that is not all zero (E.csv,
// W_K.csv, W_Q.csv, W_V.csv; gram.csv with a trained E, scores.csv unless both E and the attention are
// frozen) and (when gnuplot runs) the heatmaps of those CSVs, read by gnuplot from the CSVs themselves, and
// the curves into `directory`, which exists. Returns whether PNGs were drawn.
bool WriteTrainReport(const TrainResult& result, const std::string& directory);

// The lines `ldaformer train` prints: corpus, training, losses, predicates, what was written.
std::string FormatTrainSummary(const TrainResult& result);

// `ldaformer train` with the encoder (TrainingOptions::TrainsEncoder): the run, the per-layer trajectory and,
// per layer, the stage predicate and the W^V column inspection.
struct EncoderTrainResult {
  TrainRun run;
  int resumed_from = -1;  // the checkpoint's step when the run continued one
  sim::EncoderTrainingResult training;
  sim::Evaluation heldout;                                         // the trained encoder on the held-out corpus
  claims::StageOptions stage_options;                              // how the per-layer stages were measured
  std::vector<claims::StageSeparation> stages;                     // per layer
  std::vector<std::optional<claims::ValueColumns>> value_columns;  // per layer, when W^V is n x n
  std::vector<claims::AttentionBuckets> buckets;  // per layer, heads averaged, on held-out unmasked documents
  std::string checkpoint_path;
  std::string directory;
  bool plots = false;  // whether figure5.png was drawn (gnuplot ran)
};

// report.json of an encoder run: the run, termination and speed, losses, and per layer the stages, the final
// norms and the W^V columns.
nlohmann::json ToJson(const EncoderTrainResult& result);

// Writes report.json, trajectory.csv (step, objective, batch loss, ||E||, then per layer ||W^K||, ||W^Q||,
// ||W^V|| and the W^V rotation) and, when gnuplot runs, figure5.png (report/layer_figure.hpp) into
// `directory`, which exists. Returns whether the PNG was drawn.
bool WriteEncoderTrainReport(const EncoderTrainResult& result, const std::string& directory);

std::string FormatEncoderTrainSummary(const EncoderTrainResult& result);

}  // namespace ldaformer::report
