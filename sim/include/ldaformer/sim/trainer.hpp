// Training the one-layer transformer on a corpus by minibatch SGD or Adam.
//
// Each epoch visits the documents in a fresh random order (from (seed, epoch)) in batches of `batch`
// documents; the last batch of an epoch may be smaller. A document is masked from its own stream
// (masked_example.hpp): the same masks every epoch (static) or new ones per epoch (dynamic). The run is
// a pure function of (corpus, scenario, options): bit-identical for any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ldaformer/sim/corpus.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/model.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::sim {

struct TrainingOptions {
  ModelConfig model;
  OptimizerOptions optimizer;
  int steps = 1000;            // optimizer steps (one minibatch each)
  int batch = 40;              // documents per minibatch
  double init_scale = 0.01;    // trained matrices start with N(0, init_scale^2) entries
  MaskingSchedule masking = MaskingSchedule::kStatic;
  std::uint64_t seed = 1;      // initialisation, masks and batch order
  int threads = 1;             // threads summing a minibatch (the result does not depend on it)
  int record_every = 10;       // a trajectory point every record_every steps, plus the last step
  bool progress = true;        // a progress bar on stderr, when stderr is a terminal

  // Throws std::invalid_argument naming the field and the value (model and optimizer included).
  void Validate(const theory::TokenSpace& tokens) const;
};

// The state after `step` optimizer steps: Frobenius norms of the four matrices and the objective of
// minibatch number `step` at these parameters (before it is used for an update).
struct TrajectoryPoint {
  int step = 0;
  double objective = 0.0;
  double data_loss = 0.0;
  double norm_E = 0.0, norm_W_K = 0.0, norm_W_Q = 0.0, norm_W_V = 0.0;
};

enum class Termination {
  kCompleted,  // all steps taken
  kDiverged,   // the objective or a gradient became non-finite; params hold the last finite state
};

struct TrainingResult {
  theory::TransformerParams params;
  std::vector<TrajectoryPoint> trajectory;
  Termination termination = Termination::kCompleted;
  std::string message;
  int steps_taken = 0;
  double seconds = 0.0;  // wall time of the loop

  double StepsPerSecond() const { return seconds > 0.0 ? steps_taken / seconds : 0.0; }
};

// The masked minibatch number `step` of a run: which documents, masked how.
std::vector<MaskedExample> MinibatchAt(const Corpus& corpus, const theory::Scenario& scenario,
                                       const TrainingOptions& options, int step);

// Trains from InitialParams(options.model, ..., options.init_scale, options.seed). The corpus words must
// lie in the scenario's vocabulary; the scenario supplies the masking (key set, replacement alphabet) and
// the token space. Bad options throw std::invalid_argument; divergence is reported in the result.
TrainingResult Train(const Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options);

// The same from given starting parameters (which must fit options.model), e.g. a checkpoint.
TrainingResult Train(const Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options,
                     theory::TransformerParams start);

// The objective (no gradient) on every document of `corpus`, masked once from `seed` (static masks).
Evaluation EvaluateCorpus(const theory::TransformerParams& params, const Corpus& corpus,
                          const theory::Scenario& scenario, const ModelConfig& config, std::uint64_t seed,
                          int threads = 1);

std::string ToString(Termination termination);

}  // namespace ldaformer::sim
