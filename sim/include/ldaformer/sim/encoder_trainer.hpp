// Training the multi-layer encoder (encoder.hpp) as Train trains the one-layer model: the same minibatches
// and masks (MinibatchAt), the same optimizers, every trained matrix from init_scale times a fixed direction,
// bit-identical for any thread count. Along the run it records, per layer, the norms of W^K, W^Q and W^V
// (heads concatenated) and the rotation of W^V, the paper's Figure 5.
//
// TrainEncoder is built only with LDAFORMER_WITH_TORCH; the types here (and their checkpoints,
// encoder_checkpoint.hpp) are not.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "ldaformer/sim/encoder.hpp"
#include "ldaformer/sim/trainer.hpp"

namespace ldaformer::sim {

// The rotation of W^V is measured between step t and step t - kRotationLag (the paper's 10 steps).
inline constexpr int kRotationLag = 10;

// One layer at a trajectory point: Frobenius norms, and the cosine distance (1 - cos(W^V_t, W^V_{t-10})) / 2
// of W^V to itself kRotationLag steps earlier (NaN before step kRotationLag).
struct LayerNorms {
  double W_K = 0.0, W_Q = 0.0, W_V = 0.0;
  double V_rotation = std::numeric_limits<double>::quiet_NaN();
};

// The per-layer columns of the encoder's trajectory by name ("layer<l>." + name in trajectory.csv and in
// checkpoints).
struct LayerNormsColumn {
  const char* name;
  double LayerNorms::*value;
};
inline constexpr LayerNormsColumn kLayerNormsColumns[] = {{"norm_W_K", &LayerNorms::W_K},
                                                          {"norm_W_Q", &LayerNorms::W_Q},
                                                          {"norm_W_V", &LayerNorms::W_V},
                                                          {"W_V_rotation", &LayerNorms::V_rotation}};

struct EncoderTrajectoryPoint {
  int step = 0;
  double objective = 0.0;  // of minibatch `step` at these parameters, before the update
  double data_loss = 0.0;
  double norm_E = 0.0;
  std::vector<LayerNorms> layers;
};

// W^V of every layer at an earlier step, by step: what the rotation of a later recorded step compares with.
using ValueHistory = std::map<int, std::vector<theory::Matrix>>;

// An encoder run between two steps, as TrainingState is for the one-layer model: everything it needs to
// continue bit for bit. step() = optimizer.t steps have been taken; the trajectory holds the points recorded
// before that step, and `lagged_values` the W^V of the steps s - kRotationLag .. s - 1 whose rotation partner
// s' = s + kRotationLag is a step the run records (on the record_every grid, or its last step).
struct EncoderTrainingState {
  EncoderParams params;
  OptimizerState optimizer;
  std::vector<EncoderTrajectoryPoint> trajectory;
  ValueHistory lagged_values;

  int step() const { return optimizer.t; }
};

struct EncoderTrainingResult {
  EncoderParams params;
  std::vector<EncoderTrajectoryPoint> trajectory;
  Termination termination = Termination::kCompleted;
  std::string message;
  OptimizerState optimizer;
  ValueHistory lagged_values;  // what State() needs: see EncoderTrainingState
  int first_step = 0;          // the step this call started from (0, or a resumed state's step)
  int steps_taken = 0;         // in total, counting the steps before first_step
  double seconds = 0.0;        // wall time of this call's loop

  double StepsPerSecond() const { return seconds > 0.0 ? (steps_taken - first_step) / seconds : 0.0; }
  // The state to continue from, as TrainingResult::State().
  EncoderTrainingState State() const;
};

// Trains the encoder of (options.model, options.architecture) from InitialEncoderParams(..., options.init_scale,
// options.seed, options.initialisation). Bad options throw std::invalid_argument; divergence is reported in the
// result. options.stop_at stops the run early (kStopped); every options.checkpoint_every steps
// options.on_encoder_checkpoint receives the state.
EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options);

// The same from a given state: its parameters must have the shapes of the configuration's, frozen slots their
// initial values, its step lie in 0..steps, its trajectory the points of that step's grid, and its W^V history
// the shapes of W^V; otherwise throws std::invalid_argument naming what differs.
EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options, EncoderTrainingState start);

}  // namespace ldaformer::sim
