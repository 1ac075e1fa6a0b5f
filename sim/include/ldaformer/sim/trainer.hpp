// Training the one-layer transformer on a corpus by minibatch SGD or Adam.
//
// Each epoch visits the documents in a fresh random order (from (seed, epoch)) in batches of `batch`
// documents; the last batch of an epoch may be smaller. A document is masked from its own stream
// (masked_example.hpp): the same masks every epoch (static) or new ones per epoch (dynamic). The run is
// a pure function of (corpus, scenario, options): bit-identical for any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ldaformer/sim/encoder.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::sim {

struct TrainingState;
struct EncoderTrainingState;

struct TrainingOptions {
  ModelConfig model;
  // The one-layer model by default (Train); more layers, heads or block parts are trained by TrainEncoder
  // (encoder_trainer.hpp).
  Architecture architecture;
  Initialisation initialisation = Initialisation::kScaledNormal;  // the encoder's (the one-layer model: normal)
  OptimizerOptions optimizer;
  int steps = 1000;          // optimizer steps (one minibatch each)
  int batch = 40;            // documents per minibatch
  double init_scale = 0.01;  // trained matrices start with N(0, init_scale^2) entries
  MaskingSchedule masking = MaskingSchedule::kStatic;
  std::uint64_t seed = 1;  // initialisation, masks and batch order
  int threads = 1;         // threads summing a minibatch (the result does not depend on it)
  int record_every = 10;   // a trajectory point every record_every steps, plus the last step
  bool progress = true;    // a progress bar on stderr, when stderr is a terminal
  // Stop before step `stop_at` (after that many optimizer steps) although the schedule runs to `steps`,
  // so that a time-limited job can be continued from its state; -1: run to `steps`.
  int stop_at = -1;
  // When set, called with the state every `checkpoint_every` steps (and not at the start or the end).
  int checkpoint_every = 0;
  std::function<void(const TrainingState&)> on_checkpoint;
  std::function<void(const EncoderTrainingState&)> on_encoder_checkpoint;  // the same for TrainEncoder

  // Throws std::invalid_argument naming the field and the value (model and optimizer included).
  void Validate(const theory::TokenSpace& tokens) const;
  // Whether the run needs the encoder (TrainEncoder): more layers or heads, a block part, the input path, or
  // PyTorch's initialisation. Otherwise it is the one-layer model (Train).
  bool TrainsEncoder() const {
    return !architecture.IsOneLayerModel() || initialisation != Initialisation::kScaledNormal;
  }
};

// The state after `step` optimizer steps: Frobenius norms of the four matrices and the objective of
// minibatch number `step` at these parameters (before it is used for an update).
struct TrajectoryPoint {
  int step = 0;
  double objective = 0.0;
  double data_loss = 0.0;
  double norm_E = 0.0, norm_W_K = 0.0, norm_W_Q = 0.0, norm_W_V = 0.0;
};

// A run between two steps: everything it needs to continue bit for bit as if it had not stopped (the
// corpus, scenario and options aside). step() = optimizer.t optimizer steps have been taken; the
// trajectory holds the points recorded before that step.
struct TrainingState {
  theory::TransformerParams params;
  OptimizerState optimizer;
  std::vector<TrajectoryPoint> trajectory;

  int step() const { return optimizer.t; }
};

enum class Termination {
  kCompleted,  // all steps taken
  kStopped,    // stopped at options.stop_at; the result continues with Train(..., result.State())
  kDiverged,   // the objective or a gradient became non-finite; params hold the last finite state
};

struct TrainingResult {
  theory::TransformerParams params;
  std::vector<TrajectoryPoint> trajectory;
  Termination termination = Termination::kCompleted;
  std::string message;
  OptimizerState optimizer;
  int first_step = 0;    // the step this call started from (0, or a resumed state's step)
  int steps_taken = 0;   // in total, counting the steps before first_step
  double seconds = 0.0;  // wall time of this call's loop

  double StepsPerSecond() const { return seconds > 0.0 ? (steps_taken - first_step) / seconds : 0.0; }
  // The state to continue from (for a completed run: to extend it, when the schedule allows). Its
  // trajectory leaves out the point of the last step, which a longer run records only on its grid.
  TrainingState State() const;
};

// The masked minibatch number `step` of a run: which documents, masked how.
std::vector<MaskedExample> MinibatchAt(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                       const TrainingOptions& options, int step);

// Throws std::invalid_argument when the corpus has no documents or a word outside the scenario's vocabulary,
// naming the document and the word.
void RequireCorpusFits(const theory::Corpus& corpus, const theory::Scenario& scenario);

// Trains from InitialParams(options.model, ..., options.init_scale, options.seed). options.architecture must
// be the one-layer model. The corpus words must
// lie in the scenario's vocabulary; the scenario supplies the masking (key set, replacement alphabet) and
// the token space. Bad options throw std::invalid_argument; divergence is reported in the result.
TrainingResult Train(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options);

// The same from a given state (its parameters must fit options.model and its step lie in 0..steps):
// fresh parameters at step 0, or a checkpoint's state to continue a run exactly.
TrainingResult Train(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options,
                     TrainingState start);

// Every document of `corpus` masked once from `seed` (static masks, document d from MaskStream(kStatic, seed, 0, d)).
std::vector<MaskedExample> MaskCorpus(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                      std::uint64_t seed);

// The objective (no gradient) on every document of `corpus`, masked once from `seed` (MaskCorpus).
Evaluation EvaluateCorpus(const theory::TransformerParams& params, const theory::Corpus& corpus,
                          const theory::Scenario& scenario, const ModelConfig& config, std::uint64_t seed,
                          int threads = 1);

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::Termination> kNames<sim::Termination> = {{sim::Termination::kCompleted, "completed"},
                                                                     {sim::Termination::kStopped, "stopped"},
                                                                     {sim::Termination::kDiverged, "diverged"}};

}  // namespace ldaformer::theory
