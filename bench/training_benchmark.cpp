// Training throughput (optimizer steps per second) at the paper's default size: v = 100, N uniform on
// 100..150, batch 40 (docs/MODEL.md), for the model configurations of the figure analogues:
//   BM_TrainStep/authors     the preset authors-full: E, W^K, W^Q, W^V trained, keys = unselected positions,
//                            4 special tokens (n = 104), cross-entropy, Adam
//   BM_TrainStep/figure1     trainable E, uniform attention, W^V = I, cross-entropy, Adam (T1)
//   BM_TrainStep/figure2     one-hot E, uniform attention, trainable W^V, squared loss + L2, SGD (T2)
//   BM_TrainStep/figure4     one-hot E, trainable W^K, W^Q, W^V, squared loss, SGD (D)
//   BM_TrainStep/peer_value  bench/peer/training_peer.py's "value" setting: one-hot E, uniform attention, W^V
//                            trained, cross-entropy, Adam 0.01, static masks
//   BM_TrainStep/peer_full   its "full" setting: E, W^K, W^Q, W^V trained, keys = unselected positions, n = 101
// each with 1 and 2 threads summing the minibatch (the result is bit-identical; only the speed differs).
// One iteration is kSteps steps of sim::Train on a fixed 2,000-document corpus; items_per_second is
// steps per second. Masking and batch assembly are included, corpus sampling is not.
//
// BM_Objective/SETTING_{kernel,reference}: one objective + gradient on a 40-document minibatch of the peer
// settings, through the examples' key multisets (built beforehand, as the trainer caches them under static
// masking) against the direct per-position computation (sim::ReferenceEvaluateObjective), 1 thread, one
// OpenBLAS thread (as sim::Train runs them).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace ls = ldaformer::sim;

constexpr int kSteps = 20;
constexpr std::size_t kDocuments = 2000;
constexpr std::uint64_t kSeed = 12345;

enum class Config { kAuthors, kFigure1, kFigure2, kFigure4, kPeerValue, kPeerFull };

lt::Scenario ScenarioFor(Config config) {
  lt::Scenario paper = lt::PaperSyntheticScenario();
  if (config == Config::kPeerFull) paper.masking.keys = lt::KeySet::kUnselectedOnly;
  return config == Config::kAuthors ? ls::AuthorsScenario(paper) : paper;
}

ls::TrainingOptions OptionsFor(Config config, int threads) {
  ls::TrainingOptions o =
      ls::PresetTrainingOptions(config == Config::kAuthors ? ls::Preset::kAuthorsFull : ls::Preset::kNone);
  o.batch = 40;
  o.steps = kSteps;
  o.threads = threads;
  o.progress = false;
  o.record_every = kSteps;
  o.init_scale = 0.1;
  switch (config) {
    case Config::kAuthors:
      break;
    case Config::kFigure1:
      o.model.embedding = ls::EmbeddingMode::kTrainable;
      o.model.value = ls::ValueMode::kIdentity;
      break;
    case Config::kFigure2:
      o.model.embedding = ls::EmbeddingMode::kOneHot;
      o.model.loss = lt::LossKind::kSquared;
      o.model.l2.W_V = 1e-3;
      o.optimizer.kind = ls::OptimizerKind::kSgd;
      break;
    case Config::kFigure4:
      o.model.embedding = ls::EmbeddingMode::kOneHot;
      o.model.attention = ls::AttentionMode::kTrainable;
      o.model.loss = lt::LossKind::kSquared;
      o.optimizer.kind = ls::OptimizerKind::kSgd;
      break;
    case Config::kPeerValue:
    case Config::kPeerFull:
      o.model.embedding = config == Config::kPeerValue ? ls::EmbeddingMode::kOneHot : ls::EmbeddingMode::kTrainable;
      o.model.attention = config == Config::kPeerValue ? ls::AttentionMode::kUniform : ls::AttentionMode::kTrainable;
      o.model.loss = lt::LossKind::kCrossEntropy;
      o.optimizer.kind = ls::OptimizerKind::kAdam;
      o.optimizer.lr = 0.01;
      o.masking = ls::MaskingSchedule::kStatic;
      o.init_scale = 0.01;
      break;
  }
  return o;
}

void BM_TrainStep(benchmark::State& state, Config config) {
  const lt::Scenario scenario = ScenarioFor(config);
  static std::map<int, lt::Corpus> corpora;
  const lt::Corpus& corpus =
      corpora.try_emplace(int(config), lt::SampleCorpus(scenario, kDocuments, kSeed)).first->second;
  const ls::TrainingOptions options = OptionsFor(config, static_cast<int>(state.range(0)));
  double loss = 0.0;
  for (auto _ : state) {
    const ls::TrainingResult result = ls::Train(corpus, scenario, options);
    if (result.termination != ls::Termination::kCompleted) {
      state.SkipWithError(result.message.c_str());
      return;
    }
    loss = result.trajectory.back().data_loss;
    benchmark::DoNotOptimize(result.params.W_V.data());
  }
  state.SetItemsProcessed(state.iterations() * kSteps);
  state.counters["last_batch_loss"] = loss;
}

#define TRAIN_BENCHMARK(name, config)           \
  BENCHMARK_CAPTURE(BM_TrainStep, name, config) \
      ->ArgName("threads")                      \
      ->Arg(1)                                  \
      ->Arg(2)                                  \
      ->Unit(benchmark::kMillisecond)           \
      ->UseRealTime()

TRAIN_BENCHMARK(authors, Config::kAuthors);
TRAIN_BENCHMARK(figure1, Config::kFigure1);
TRAIN_BENCHMARK(figure2, Config::kFigure2);
TRAIN_BENCHMARK(figure4, Config::kFigure4);
TRAIN_BENCHMARK(peer_value, Config::kPeerValue);
TRAIN_BENCHMARK(peer_full, Config::kPeerFull);

// One objective and gradient on the first minibatch of the setting's run.
void BM_Objective(benchmark::State& state, Config config, bool reference) {
  const lt::Scenario scenario = ScenarioFor(config);
  const ls::TrainingOptions options = OptionsFor(config, 1);
  const lt::Corpus corpus = lt::SampleCorpus(scenario, kDocuments, kSeed);
  const std::vector<ls::MaskedExample> batch = ls::MinibatchAt(corpus, scenario, options, 0);
  std::vector<lt::KeyMultiset> keys;
  for (const ls::MaskedExample& example : batch) keys.push_back(ls::ExampleKeys(example));
  std::vector<const lt::KeyMultiset*> pointers;
  for (const lt::KeyMultiset& k : keys) pointers.push_back(&k);
  const lt::TransformerParams params = ls::InitialParams(options.model, scenario.topics, scenario.tokens(), 0.3, kSeed);
  ls::ModelGradient gradient;
  const lt::BlasThreadsScope one_blas_thread(1);  // as sim::Train runs it
  for (auto _ : state) {
    const ls::Evaluation e = reference ? ls::ReferenceEvaluateObjective(params, options.model, batch, &gradient)
                                       : ls::EvaluateObjective(params, options.model, pointers, &gradient);
    benchmark::DoNotOptimize(e.objective);
    benchmark::DoNotOptimize(gradient.W_V.data());
  }
  state.SetItemsProcessed(state.iterations());
}

#define OBJECTIVE_BENCHMARK(name, config)                                                                      \
  BENCHMARK_CAPTURE(BM_Objective, name##_kernel, config, false)->Unit(benchmark::kMicrosecond)->UseRealTime(); \
  BENCHMARK_CAPTURE(BM_Objective, name##_reference, config, true)->Unit(benchmark::kMicrosecond)->UseRealTime()

OBJECTIVE_BENCHMARK(peer_value, Config::kPeerValue);
OBJECTIVE_BENCHMARK(peer_full, Config::kPeerFull);

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (const std::string name : {"authors", "figure1", "figure2", "figure4", "peer_value", "peer_full"}) {
    const std::string base = "BM_TrainStep/" + name;
    ratios.push_back({name + ": 1 thread / 2", base + "/threads:1", base + "/threads:2"});
  }
  for (const std::string name : {"peer_value", "peer_full"}) {
    ratios.push_back({"objective " + name + ": reference / kernel", "BM_Objective/" + name + "_reference",
                      "BM_Objective/" + name + "_kernel"});
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
