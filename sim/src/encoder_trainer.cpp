#include "ldaformer/sim/encoder_trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "divergence.hpp"
#include "ldaformer/sim/encoder_objective.hpp"
#include "ldaformer/sim/progress_bar.hpp"
#include "ldaformer/theory/memory_check.hpp"
#include "state_grid.hpp"

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

bool Recorded(int step, const TrainingOptions& options) {
  return step == options.steps || step % options.record_every == 0;
}

// The entries of `history` that a state at `step` keeps (EncoderTrainingState::lagged_values).
ValueHistory LaggedValues(const ValueHistory& history, int step, const TrainingOptions& options) {
  ValueHistory kept;
  for (const auto& [k, values] : history) {
    if (k < step && k + kRotationLag >= step && Recorded(k + kRotationLag, options)) kept.emplace(k, values);
  }
  return kept;
}

// Throws naming the first slot of `start` whose shape differs from the configuration's (`fresh`), or whose
// frozen value (one-hot E, uniform attention's zero W^K, W^Q, a frozen W^V) was changed.
void RequireParamsFit(const EncoderParams& start, const EncoderParams& fresh, const EncoderConfig& config) {
  if (start.layers.size() != fresh.layers.size() || start.decoder != fresh.decoder) {
    throw std::invalid_argument(fmt::format(
        "starting parameters: {} layers with decoder {}; the encoder has {} layers with decoder {}",
        start.layers.size(), theory::NameOf(start.decoder), fresh.layers.size(), theory::NameOf(fresh.decoder)));
  }
  std::vector<const theory::Matrix*> slots;
  ForEachMatrix(start, [&](const std::string&, const theory::Matrix& M) { slots.push_back(&M); });
  std::size_t k = 0;
  ForEachMatrix(fresh, [&](const std::string& name, const theory::Matrix& M) {
    const theory::Matrix& S = *slots[k++];
    if (S.rows() != M.rows() || S.cols() != M.cols()) {
      throw std::invalid_argument(fmt::format("starting parameters: {} is {}x{}, the encoder's is {}x{}", name,
                                              S.rows(), S.cols(), M.rows(), M.cols()));
    }
    if (M.size() > 0 && !IsTrained(config, name) && S != M) {
      throw std::invalid_argument(
          fmt::format("starting parameters: {} is frozen but differs from its fixed value", name));
    }
  });
}

// Throws when a moment's shape differs from its trained matrix's, or a W^V of the history from the layer's.
void RequireStateFits(const EncoderTrainingState& start, const EncoderParams& params,
                      const std::vector<theory::Matrix*>& trained, const TrainingOptions& options) {
  RequireStateOnGrid(start.step(), start.trajectory, options);
  for (const std::vector<theory::Matrix>* moments : {&start.optimizer.first, &start.optimizer.second}) {
    if (moments->empty()) continue;
    bool fits = moments->size() == trained.size();
    for (std::size_t k = 0; fits && k < trained.size(); ++k) {
      fits = (*moments)[k].rows() == trained[k]->rows() && (*moments)[k].cols() == trained[k]->cols();
    }
    if (!fits) {
      throw std::invalid_argument(
          fmt::format("starting state: the optimizer's {} moments do not have the shapes of the {} trained matrices",
                      moments->size(), trained.size()));
    }
  }
  const int step = start.step();
  for (const auto& [k, values] : start.lagged_values) {
    if (k < step - kRotationLag || k >= step) {
      throw std::invalid_argument(
          fmt::format("starting state: W^V history at step {}, but a state at step {} keeps steps {}..{}", k, step,
                      step - kRotationLag, step - 1));
    }
    bool fits = values.size() == params.layers.size();
    for (std::size_t l = 0; fits && l < values.size(); ++l) {
      fits = values[l].rows() == params.layers[l].W_V.rows() && values[l].cols() == params.layers[l].W_V.cols();
    }
    if (!fits) {
      throw std::invalid_argument(
          fmt::format("starting state: the W^V history at step {} does not fit the layers' W^V", k));
    }
  }
}

// Valid options, a corpus in the vocabulary, and a run that fits in memory: checked before anything is allocated.
void RequireRunFits(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options) {
  const theory::TokenSpace tokens = scenario.tokens();
  options.Validate(tokens);
  RequireCorpusFits(corpus, scenario);
  const EncoderConfig config{options.model, options.architecture};
  std::size_t longest = 0;
  for (const std::vector<int>& document : corpus.documents) longest = std::max(longest, document.size());
  const int max_distinct = static_cast<int>(std::min<std::size_t>(longest, tokens.n()));
  const Architecture& a = options.architecture;
  theory::RequireMemory(EncoderTrainingBytes(config, tokens, max_distinct, options.threads),
                        fmt::format("training: an encoder of {} layers x {} heads, d = {}, ffn = {} on documents of "
                                    "up to {} distinct tokens with {} threads",
                                    a.layers, a.heads, config.Width(tokens), a.ffn, max_distinct, options.threads));
}

}  // namespace

EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options) {
  RequireRunFits(corpus, scenario, options);
  EncoderTrainingState start;
  start.params = InitialEncoderParams({options.model, options.architecture}, scenario.topics, scenario.tokens(),
                                      options.init_scale, options.seed, options.initialisation);
  return TrainEncoder(corpus, scenario, options, std::move(start));
}

EncoderTrainingResult TrainEncoder(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                   const TrainingOptions& options, EncoderTrainingState start) {
  RequireRunFits(corpus, scenario, options);
  const theory::TokenSpace tokens = scenario.tokens();
  const EncoderConfig config{options.model, options.architecture};
  RequireParamsFit(
      start.params,
      InitialEncoderParams(config, scenario.topics, tokens, options.init_scale, options.seed, options.initialisation),
      config);

  EncoderTrainingResult result;
  result.params = std::move(start.params);
  EncoderParams& p = result.params;
  std::vector<theory::Matrix*> trained;
  ForEachMatrix(p, [&](const std::string& name, theory::Matrix& M) {
    if (M.size() > 0 && IsTrained(config, name)) trained.push_back(&M);
  });
  RequireStateFits(start, p, trained, options);
  result.trajectory = std::move(start.trajectory);
  result.first_step = result.steps_taken = start.step();
  EncoderParams gradient;

  Optimizer optimizer(options.optimizer, options.steps, std::move(start.optimizer));
  ProgressBar bar(options.steps, "train", options.progress);
  // W^V of every layer at the last kRotationLag + 1 steps, for the rotation at a recorded step.
  ValueHistory history = std::move(start.lagged_values);
  const auto begin = std::chrono::steady_clock::now();
  for (int step = result.first_step; step <= options.steps; ++step) {
    if (step == options.stop_at) {
      result.termination = Termination::kStopped;
      result.message = fmt::format("stopped at step {} of {}", step, options.steps);
      break;
    }
    if (options.on_encoder_checkpoint && options.checkpoint_every > 0 && step > result.first_step &&
        step < options.steps && step % options.checkpoint_every == 0) {
      options.on_encoder_checkpoint({p, optimizer.state(), result.trajectory, LaggedValues(history, step, options)});
    }
    std::vector<theory::Matrix>& now = history[step];
    now.clear();
    for (const EncoderLayer& L : p.layers) now.push_back(L.W_V);
    history.erase(history.begin(), history.lower_bound(step - kRotationLag));

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
    if (Recorded(step, options)) {
      const auto lagged = history.find(step - kRotationLag);
      result.trajectory.push_back(PointAt(step, p, e, lagged != history.end() ? &lagged->second : nullptr));
    }
    if (last) break;
    optimizer.Step(trained, gradients);
    result.steps_taken = step + 1;
    bar.Update(step + 1, fmt::format("loss {:.4f}", e.data_loss));
  }
  bar.Finish();
  result.optimizer = optimizer.state();
  result.lagged_values = LaggedValues(history, result.steps_taken, options);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (result.termination == Termination::kCompleted) result.message = fmt::format("{} steps", result.steps_taken);
  return result;
}

EncoderTrainingState EncoderTrainingResult::State() const {
  EncoderTrainingState state{params, optimizer, {}, lagged_values};
  for (const EncoderTrajectoryPoint& point : trajectory) {
    if (point.step < steps_taken) state.trajectory.push_back(point);
  }
  return state;
}

}  // namespace ldaformer::sim
