// Training the multi-layer encoder (encoder.hpp) as Train trains the one-layer model: the same minibatches
// and masks (MinibatchAt), the same optimizers, every trained matrix from init_scale times a fixed direction,
// bit-identical for any thread count. Along the run it records, per layer, the norms of W^K, W^Q and W^V
// (heads concatenated) and the rotation of W^V, the paper's Figure 5.
//
// Built only with LDAFORMER_WITH_TORCH.
#pragma once

#include <limits>
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

struct EncoderTrajectoryPoint {
  int step = 0;
  double objective = 0.0;  // of minibatch `step` at these parameters, before the update
  double data_loss = 0.0;
  double norm_E = 0.0;
  std::vector<LayerNorms> layers;
};

struct EncoderTrainingResult {
  EncoderParams params;
  std::vector<EncoderTrajectoryPoint> trajectory;
  Termination termination = Termination::kCompleted;
  std::string message;
  OptimizerState optimizer;
  int steps_taken = 0;
  double seconds = 0.0;

  double StepsPerSecond() const { return seconds > 0.0 ? steps_taken / seconds : 0.0; }
};

// Trains the encoder of (options.model, options.architecture) from InitialEncoderParams(..., options.init_scale,
// options.seed). Bad options throw std::invalid_argument (checkpoints and stop_at are not supported here yet:
// checkpoint_every must be 0 and stop_at -1); divergence is reported in the result.
EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options);

}  // namespace ldaformer::sim
