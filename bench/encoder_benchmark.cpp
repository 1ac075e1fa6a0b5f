// The multi-layer encoder (sim/encoder_objective.hpp, LibTorch): one objective + gradient on a 40-document
// minibatch, wall time per evaluation, for
//   BM_EncoderObjective/paper_4x4     the paper's scenario with the authors' masking (n = 104, N 100..150),
//                                     4 layers x 4 heads, residual, one-hot E, squared loss: Figure 5's run
//   BM_EncoderObjective/small_2x2     Figure 4's small scenario (v = 25, N 20..30), 2 layers x 2 heads, residual
//   BM_EncoderObjective/authors_path  `--preset authors --input-path on --init pytorch`: one layer, W^V and the
//                                     input path trained, uniform attention, cross-entropy
//   BM_EncoderObjective/one_layer     the one-layer model (L = H = 1, every part off) of the authors-full
//                                     preset, against BM_HandWritten/one_layer, the same objective and gradient
//                                     by sim::EvaluateObjective: what LibTorch's graph costs over the kernels
// each with 1 and 2 threads (the result is bit-identical; only the speed differs). items_per_second is
// evaluations per second; one training step is one evaluation plus the optimizer's update.
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/encoder_objective.hpp"
#include "ldaformer/sim/objective.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/length_distribution.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace ls = ldaformer::sim;

constexpr std::size_t kDocuments = 400;
constexpr std::uint64_t kSeed = 12345;

enum class Setting { kPaper4x4, kSmall2x2, kAuthorsPath, kOneLayer };

struct Case {
  lt::Scenario scenario;
  ls::TrainingOptions options;
};

Case CaseFor(Setting setting) {
  const lt::Scenario paper = ls::AuthorsScenario(lt::PaperSyntheticScenario());
  Case c{paper, ls::PresetTrainingOptions(ls::Preset::kAuthorsFull)};
  ls::TrainingOptions& o = c.options;
  switch (setting) {
    case Setting::kPaper4x4:
    case Setting::kSmall2x2:
      o.model.embedding = ls::EmbeddingMode::kOneHot;
      o.model.loss = lt::LossKind::kSquared;
      o.architecture.residual = true;
      o.architecture.layers = o.architecture.heads = setting == Setting::kPaper4x4 ? 4 : 2;
      if (setting == Setting::kSmall2x2) {
        c.scenario = lt::PaperSyntheticScenario();
        c.scenario.topics = lt::TopicModel::DisjointUniform(5, 25);
        c.scenario.prior = lt::DocumentPrior::SymmetricDirichlet(5, 0.1);
        c.scenario.length = lt::LengthDistribution::Uniform(20, 30);
        c.scenario.masking.keys = lt::KeySet::kUnselectedOnly;
        c.scenario.Validate();
        o.model.attention = ls::AttentionMode::kTrainable;
      }
      break;
    case Setting::kAuthorsPath:
      o = ls::PresetTrainingOptions(ls::Preset::kAuthors);
      o.architecture.input_path = true;
      o.initialisation = ls::Initialisation::kPyTorch;
      break;
    case Setting::kOneLayer:
      break;
  }
  o.init_scale = 0.1;
  o.batch = 40;
  return c;
}

void BM_EncoderObjective(benchmark::State& state, Setting setting) {
  const Case c = CaseFor(setting);
  const lt::Corpus corpus = lt::SampleCorpus(c.scenario, kDocuments, kSeed);
  const std::vector<ls::MaskedExample> batch = ls::MinibatchAt(corpus, c.scenario, c.options, 0);
  const ls::EncoderConfig config{c.options.model, c.options.architecture};
  const ls::EncoderParams params = ls::InitialEncoderParams(config, c.scenario.topics, c.scenario.tokens(),
                                                            c.options.init_scale, kSeed, c.options.initialisation);
  ls::EncoderParams gradient;
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const ls::Evaluation e = ls::EvaluateEncoder(params, config, batch, &gradient, threads);
    benchmark::DoNotOptimize(e.objective);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_HandWritten(benchmark::State& state, Setting setting) {
  const Case c = CaseFor(setting);
  const lt::Corpus corpus = lt::SampleCorpus(c.scenario, kDocuments, kSeed);
  const std::vector<ls::MaskedExample> batch = ls::MinibatchAt(corpus, c.scenario, c.options, 0);
  std::vector<lt::KeyMultiset> keys;
  for (const ls::MaskedExample& example : batch) keys.push_back(ls::ExampleKeys(example));
  std::vector<const lt::KeyMultiset*> pointers;
  for (const lt::KeyMultiset& k : keys) pointers.push_back(&k);
  const lt::TransformerParams params =
      ls::InitialParams(c.options.model, c.scenario.topics, c.scenario.tokens(), c.options.init_scale, kSeed);
  ls::ModelGradient gradient;
  const lt::BlasThreadsScope one_blas_thread(1);  // as sim::Train runs it
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const ls::Evaluation e = ls::EvaluateObjective(params, c.options.model, pointers, &gradient, threads);
    benchmark::DoNotOptimize(e.objective);
  }
  state.SetItemsProcessed(state.iterations());
}

#define ENCODER_BENCHMARK(name, setting)                \
  BENCHMARK_CAPTURE(BM_EncoderObjective, name, setting) \
      ->ArgName("threads")                              \
      ->Arg(1)                                          \
      ->Arg(2)                                          \
      ->Unit(benchmark::kMillisecond)                   \
      ->UseRealTime()

ENCODER_BENCHMARK(paper_4x4, Setting::kPaper4x4);
ENCODER_BENCHMARK(small_2x2, Setting::kSmall2x2);
ENCODER_BENCHMARK(authors_path, Setting::kAuthorsPath);
ENCODER_BENCHMARK(one_layer, Setting::kOneLayer);
BENCHMARK_CAPTURE(BM_HandWritten, one_layer, Setting::kOneLayer)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (const std::string name : {"paper_4x4", "small_2x2", "authors_path", "one_layer"}) {
    const std::string base = "BM_EncoderObjective/" + name;
    ratios.push_back({name + ": 1 thread / 2", base + "/threads:1", base + "/threads:2"});
  }
  for (const std::string threads : {"1", "2"}) {
    ratios.push_back({"one layer, " + threads + " thread(s): encoder / hand-written",
                      "BM_EncoderObjective/one_layer/threads:" + threads,
                      "BM_HandWritten/one_layer/threads:" + threads});
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
