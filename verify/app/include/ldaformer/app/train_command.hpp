// `ldaformer train`: trains the one-layer transformer (sim/) on a sampled or given corpus, measures the
// verify/ predicates of the trained matrices and the attention buckets on held-out unmasked documents,
// and writes the report (report/train_report.hpp) and a checkpoint.
#pragma once

#include <string>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/report/train_report.hpp"

namespace ldaformer::app {

struct TrainRequest {
  // The scenario and its training: section, already layered: defaults, then the preset, then the file,
  // then the command-line flags.
  ScenarioFile file;
  std::string corpus_file;   // empty: sample section.documents documents from the scenario
  std::string heldout_file;  // empty: sample section.heldout_documents documents
  std::string out_directory = "train-out";
  std::string resume_file;  // a checkpoint of the same run to continue
};

using report::TrainResult;

// Trains, measures and writes OUT/checkpoint.json and the report (report::WriteTrainReport). A checkpoint continues
// only the run that wrote it: the same scenario, corpus and options (threads aside; steps too under a constant learning
// rate); otherwise throws std::invalid_argument naming the first field that differs. A run that diverged is returned
// unmeasured, and writes nothing (the last periodic checkpoint stays).
TrainResult RunTrain(const TrainRequest& request);

using report::EncoderTrainResult;

// The same for the encoder (request.file.training.options.TrainsEncoder()): trains with sim::TrainEncoder,
// measures the held-out loss and, per layer, the stage predicate and the W^V columns, and writes OUT/report.json
// and OUT/trajectory.csv (report::WriteEncoderTrainReport). No checkpoints yet: --resume, checkpoint_every and
// stop_at are refused. Without LibTorch (LDAFORMER_WITH_TORCH=OFF) throws std::invalid_argument saying so.
EncoderTrainResult RunEncoderTrain(const TrainRequest& request);

}  // namespace ldaformer::app
