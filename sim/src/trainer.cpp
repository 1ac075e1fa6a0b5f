#include "ldaformer/sim/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <boost/random/uniform_int_distribution.hpp>

#include "divergence.hpp"
#include "ldaformer/sim/progress_bar.hpp"
#include "ldaformer/sim/streams.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "state_grid.hpp"

namespace ldaformer::sim {

void TrainingOptions::Validate(const theory::TokenSpace& tokens) const {
  model.Validate(tokens);
  architecture.Validate(model.Width(tokens));
  optimizer.Validate();
  if (steps < 0) throw std::invalid_argument(fmt::format("training.steps must be >= 0, got {}", steps));
  if (batch < 1) throw std::invalid_argument(fmt::format("training.batch must be >= 1, got {}", batch));
  if (!std::isfinite(init_scale) || init_scale < 0.0) {
    throw std::invalid_argument(fmt::format("training.init_scale must be finite and >= 0, got {}", init_scale));
  }
  if (threads < 1) throw std::invalid_argument(fmt::format("training.threads must be >= 1, got {}", threads));
  if (record_every < 1) {
    throw std::invalid_argument(fmt::format("training.record_every must be >= 1, got {}", record_every));
  }
  if (stop_at < -1 || stop_at > steps) {
    throw std::invalid_argument(fmt::format("training.stop_at must be -1 or in 0..steps = {}, got {}", steps, stop_at));
  }
  if (checkpoint_every < 0) {
    throw std::invalid_argument(fmt::format("training.checkpoint_every must be >= 0, got {}", checkpoint_every));
  }
}

namespace {

// The documents of an epoch in random order: a Fisher-Yates shuffle driven by boost's portable
// uniform_int_distribution (std::shuffle's output differs between standard libraries).
std::vector<int> EpochOrder(std::size_t documents, std::uint64_t seed, std::uint64_t epoch) {
  std::vector<int> order(documents);
  std::iota(order.begin(), order.end(), 0);
  theory::Rng rng = PurposeStream(seed, StreamPurpose::kShuffle, epoch);
  for (std::size_t i = documents; i > 1; --i) {
    const std::size_t j = boost::random::uniform_int_distribution<std::size_t>(0, i - 1)(rng);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

int BatchesPerEpoch(const theory::Corpus& corpus, int batch) {
  return static_cast<int>((corpus.documents.size() + batch - 1) / batch);
}

// The masked example of document `document` in epoch `epoch`.
MaskedExample ExampleAt(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options,
                        std::uint64_t epoch, int document) {
  theory::Rng rng = MaskStream(options.masking, options.seed, epoch, document);
  return MaskDocument(corpus.documents[document], scenario.masking, scenario.tokens(), rng);
}

// The documents of minibatch k of an epoch: positions k * batch .. of the epoch's order.
std::pair<std::size_t, std::size_t> BatchRange(const std::vector<int>& order, int batch, int k) {
  const std::size_t first = std::size_t(k) * batch;
  return {first, std::min(order.size(), first + batch)};
}

// The examples of the minibatches as key multisets. Under static masking a document's masks never change, so its
// multiset is built the first time the document is drawn and kept; under dynamic masking every epoch draws anew.
class BatchKeys {
 public:
  BatchKeys(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options)
      : corpus_(corpus), scenario_(scenario), options_(options) {
    if (options.masking == MaskingSchedule::kStatic) cache_.resize(corpus.documents.size());
  }

  const std::vector<const theory::KeyMultiset*>& At(std::uint64_t epoch, const std::vector<int>& order, int k) {
    const auto [first, last] = BatchRange(order, options_.batch, k);
    batch_.clear();
    fresh_.clear();
    fresh_.reserve(last - first);  // no reallocation: batch_ points into it
    for (std::size_t i = first; i < last; ++i) {
      const int document = order[i];
      if (cache_.empty()) {
        fresh_.push_back(ExampleKeys(ExampleAt(corpus_, scenario_, options_, epoch, document)));
        batch_.push_back(&fresh_.back());
        continue;
      }
      std::optional<theory::KeyMultiset>& cached = cache_[document];
      if (!cached) cached = ExampleKeys(ExampleAt(corpus_, scenario_, options_, epoch, document));
      batch_.push_back(&*cached);
    }
    return batch_;
  }

 private:
  const theory::Corpus& corpus_;
  const theory::Scenario& scenario_;
  const TrainingOptions& options_;
  std::vector<std::optional<theory::KeyMultiset>> cache_;  // static masking: by document
  std::vector<theory::KeyMultiset> fresh_;                 // dynamic masking: this minibatch's
  std::vector<const theory::KeyMultiset*> batch_;
};

void RequireParamsFit(const theory::TransformerParams& p, const ModelConfig& c, const theory::TokenSpace& tokens) {
  p.Validate();
  const int n = tokens.n();
  const int d = c.Width(tokens);
  if (p.n() != n || p.d() != d || p.d_k() != c.KeyWidth(tokens) || p.decoder != c.decoder) {
    throw std::invalid_argument(fmt::format(
        "starting parameters do not fit the model: E is {}x{}, W_K has {} rows, decoder {}; the model needs "
        "E {}x{}, d_k = {}, decoder {}",
        p.E.rows(), p.E.cols(), p.d_k(), theory::NameOf(p.decoder), d, n, c.KeyWidth(tokens),
        theory::NameOf(c.decoder)));
  }
  if (!c.TrainsAttention() && (!p.W_K.isZero(0.0) || !p.W_Q.isZero(0.0))) {
    throw std::invalid_argument("starting parameters: uniform attention needs W_K = W_Q = 0");
  }
}

TrajectoryPoint PointAt(int step, const theory::TransformerParams& p, const Evaluation& e) {
  TrajectoryPoint point;
  point.step = step;
  point.objective = e.objective;
  point.data_loss = e.data_loss;
  point.norm_E = p.E.norm();
  point.norm_W_K = p.W_K.norm();
  point.norm_W_Q = p.W_Q.norm();
  point.norm_W_V = p.W_V.norm();
  return point;
}

}  // namespace

void RequireCorpusFits(const theory::Corpus& corpus, const theory::Scenario& scenario) {
  if (corpus.documents.empty()) throw std::invalid_argument("corpus: no documents to train on");
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    for (int w : corpus.documents[d]) {
      if (w < 0 || w >= scenario.topics.v) {
        throw std::invalid_argument(fmt::format(
            "corpus document {} has word id {}, outside the scenario's vocabulary 0..{}", d, w, scenario.topics.v - 1));
      }
    }
  }
}

std::vector<MaskedExample> MinibatchAt(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                       const TrainingOptions& options, int step) {
  const int per_epoch = BatchesPerEpoch(corpus, options.batch);
  const std::uint64_t epoch = step / per_epoch;
  const std::vector<int> order = EpochOrder(corpus.documents.size(), options.seed, epoch);
  const auto [first, last] = BatchRange(order, options.batch, step % per_epoch);
  std::vector<MaskedExample> examples;
  examples.reserve(last - first);
  for (std::size_t i = first; i < last; ++i) examples.push_back(ExampleAt(corpus, scenario, options, epoch, order[i]));
  return examples;
}

TrainingResult Train(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options) {
  options.Validate(scenario.tokens());
  TrainingState start;
  start.params = InitialParams(options.model, scenario.topics, scenario.tokens(), options.init_scale, options.seed);
  return Train(corpus, scenario, options, std::move(start));
}

TrainingResult Train(const theory::Corpus& corpus, const theory::Scenario& scenario, const TrainingOptions& options,
                     TrainingState start) {
  const theory::TokenSpace tokens = scenario.tokens();
  options.Validate(tokens);
  if (options.TrainsEncoder()) {
    throw std::invalid_argument(fmt::format(
        "training: {} layers, {} heads, the block parts, the input path and init {} are the encoder's; train it "
        "with TrainEncoder",
        options.architecture.layers, options.architecture.heads, theory::NameOf(options.initialisation)));
  }
  RequireCorpusFits(corpus, scenario);
  RequireParamsFit(start.params, options.model, tokens);
  RequireStateOnGrid(start.step(), start.trajectory, options);
  const ModelConfig& config = options.model;

  TrainingResult result;
  result.params = std::move(start.params);
  result.trajectory = std::move(start.trajectory);
  result.first_step = result.steps_taken = start.step();
  theory::TransformerParams& p = result.params;
  std::vector<theory::Matrix*> trained;
  if (config.TrainsEmbedding()) trained.push_back(&p.E);
  if (config.TrainsAttention()) trained.insert(trained.end(), {&p.W_K, &p.W_Q});
  if (config.TrainsValue()) trained.push_back(&p.W_V);
  ModelGradient gradient;
  std::vector<const theory::Matrix*> gradients;
  if (config.TrainsEmbedding()) gradients.push_back(&gradient.E);
  if (config.TrainsAttention()) gradients.insert(gradients.end(), {&gradient.W_K, &gradient.W_Q});
  if (config.TrainsValue()) gradients.push_back(&gradient.W_V);

  Optimizer optimizer(options.optimizer, options.steps, std::move(start.optimizer));
  ProgressBar bar(options.steps, "train", options.progress);
  const int per_epoch = BatchesPerEpoch(corpus, options.batch);
  std::int64_t order_epoch = -1;
  std::vector<int> order;
  BatchKeys keys(corpus, scenario, options);
  auto batch_at = [&](int step) -> const std::vector<const theory::KeyMultiset*>& {
    const std::int64_t epoch = step / per_epoch;
    if (epoch != order_epoch) {
      order = EpochOrder(corpus.documents.size(), options.seed, epoch);
      order_epoch = epoch;
    }
    return keys.At(epoch, order, step % per_epoch);
  };

  const std::vector<const theory::Matrix*> no_gradients;  // the last step evaluates none
  const theory::BlasThreadsScope one_blas_thread(1);
  const auto begin = std::chrono::steady_clock::now();
  for (int step = result.first_step; step <= options.steps; ++step) {
    if (step == options.stop_at) {
      result.termination = Termination::kStopped;
      result.message = fmt::format("stopped at step {} of {}", step, options.steps);
      break;
    }
    if (options.on_checkpoint && options.checkpoint_every > 0 && step > result.first_step && step < options.steps &&
        step % options.checkpoint_every == 0) {
      options.on_checkpoint({p, optimizer.state(), result.trajectory});
    }
    const std::vector<const theory::KeyMultiset*>& batch = batch_at(step);
    const bool last = step == options.steps;
    const Evaluation e = EvaluateObjective(p, config, batch, last ? nullptr : &gradient, options.threads);
    if (Diverged(e.objective, last ? no_gradients : gradients)) {
      result.termination = Termination::kDiverged;
      result.message = DivergenceMessage(step, e.objective, optimizer.CurrentLearningRate());
      break;
    }
    if (last || step % options.record_every == 0) result.trajectory.push_back(PointAt(step, p, e));
    if (last) break;
    optimizer.Step(trained, gradients);
    result.steps_taken = step + 1;
    bar.Update(step + 1, fmt::format("loss {:.4f}", e.data_loss));
  }
  bar.Finish();
  result.optimizer = optimizer.state();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (result.termination == Termination::kCompleted) {
    result.message = fmt::format("{} steps ({:.1f} epochs of {} batches)", result.steps_taken,
                                 double(result.steps_taken) / per_epoch, per_epoch);
  }
  return result;
}

TrainingState TrainingResult::State() const {
  TrainingState state{params, optimizer, {}};
  for (const TrajectoryPoint& point : trajectory) {
    if (point.step < steps_taken) state.trajectory.push_back(point);
  }
  return state;
}

std::vector<MaskedExample> MaskCorpus(const theory::Corpus& corpus, const theory::Scenario& scenario,
                                      std::uint64_t seed) {
  RequireCorpusFits(corpus, scenario);
  std::vector<MaskedExample> examples;
  examples.reserve(corpus.documents.size());
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    theory::Rng rng = MaskStream(MaskingSchedule::kStatic, seed, 0, d);
    examples.push_back(MaskDocument(corpus.documents[d], scenario.masking, scenario.tokens(), rng));
  }
  return examples;
}

Evaluation EvaluateCorpus(const theory::TransformerParams& params, const theory::Corpus& corpus,
                          const theory::Scenario& scenario, const ModelConfig& config, std::uint64_t seed,
                          int threads) {
  return EvaluateObjective(params, config, MaskCorpus(corpus, scenario, seed), nullptr, threads);
}

}  // namespace ldaformer::sim
