#include "ldaformer/sim/encoder_trainer.hpp"

#include <chrono>
#include <cmath>
#include <deque>
#include <stdexcept>

#include <fmt/format.h>

#include "divergence.hpp"
#include "ldaformer/sim/encoder_objective.hpp"
#include "ldaformer/sim/progress_bar.hpp"

namespace ldaformer::sim {
namespace {

// (1 - cos(A, B)) / 2 with the Frobenius inner product; 0 for a zero matrix (no direction to turn).
double CosineDistance(const theory::Matrix& a, const theory::Matrix& b) {
  const double norms = a.norm() * b.norm();
  if (norms == 0.0) return 0.0;
  return 0.5 * (1.0 - (a.array() * b.array()).sum() / norms);
}

EncoderTrajectoryPoint PointAt(int step, const EncoderParams& p, const Evaluation& e,
                               const std::vector<theory::Matrix>* lagged_values) {
  EncoderTrajectoryPoint point;
  point.step = step;
  point.objective = e.objective;
  point.data_loss = e.data_loss;
  point.norm_E = p.E.norm();
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    const EncoderLayer& L = p.layers[l];
    LayerNorms norms{L.W_K.norm(), L.W_Q.norm(), L.W_V.norm()};
    if (lagged_values != nullptr) norms.V_rotation = CosineDistance(L.W_V, (*lagged_values)[l]);
    point.layers.push_back(norms);
  }
  return point;
}

}  // namespace

EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options) {
  const theory::TokenSpace tokens = scenario.tokens();
  options.Validate(tokens);
  if (options.checkpoint_every != 0 || options.stop_at != -1) {
    throw std::invalid_argument(fmt::format(
        "training: checkpoints and stop_at are not supported for the encoder yet, got checkpoint_every {} stop_at {}",
        options.checkpoint_every, options.stop_at));
  }
  RequireCorpusFits(corpus, scenario);
  const EncoderConfig config{options.model, options.architecture};

  EncoderTrainingResult result;
  result.params =
      InitialEncoderParams(config, scenario.topics, tokens, options.init_scale, options.seed, options.initialisation);
  EncoderParams& p = result.params;
  EncoderParams gradient;
  std::vector<theory::Matrix*> trained;
  ForEachMatrix(p, [&](const std::string& name, theory::Matrix& M) {
    if (M.size() > 0 && IsTrained(config, name)) trained.push_back(&M);
  });

  Optimizer optimizer(options.optimizer, options.steps);
  ProgressBar bar(options.steps, "train", options.progress);
  // W^V of every layer at the last kRotationLag + 1 steps, for the rotation at a recorded step.
  std::deque<std::vector<theory::Matrix>> values;
  const auto begin = std::chrono::steady_clock::now();
  for (int step = 0; step <= options.steps; ++step) {
    std::vector<theory::Matrix> now;
    for (const EncoderLayer& L : p.layers) now.push_back(L.W_V);
    values.push_back(std::move(now));
    if (values.size() > kRotationLag + 1) values.pop_front();

    const std::vector<MaskedExample> batch = MinibatchAt(corpus, scenario, options, step);
    const bool last = step == options.steps;
    const Evaluation e = EvaluateEncoder(p, config, batch, last ? nullptr : &gradient, options.threads);
    std::vector<const theory::Matrix*> gradients;
    if (!last) {
      ForEachMatrix(gradient, [&](const std::string&, const theory::Matrix& G) {
        if (G.size() > 0) gradients.push_back(&G);
      });
    }
    if (Diverged(e.objective, gradients)) {
      result.termination = Termination::kDiverged;
      result.message = DivergenceMessage(step, e.objective, optimizer.CurrentLearningRate());
      break;
    }
    if (last || step % options.record_every == 0) {
      result.trajectory.push_back(PointAt(step, p, e, step >= kRotationLag ? &values.front() : nullptr));
    }
    if (last) break;
    optimizer.Step(trained, gradients);
    result.steps_taken = step + 1;
    bar.Update(step + 1, fmt::format("loss {:.4f}", e.data_loss));
  }
  bar.Finish();
  result.optimizer = optimizer.state();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (result.termination == Termination::kCompleted) result.message = fmt::format("{} steps", result.steps_taken);
  return result;
}

}  // namespace ldaformer::sim
