// Monte Carlo throughput in documents per second (items_per_second), on the paper's default scenario
// (PaperSyntheticScenario: T = 10, v = 100, n = 101, N uniform on 100..150), every position a target:
//   BM_MonteCarloTransformer  the full one-layer model, softmax attention over all N positions,
//                             d = n = 101, d_k = 101, small random matrices, identity decoder, evaluated
//                             through the key multiset (MonteCarloLoss: KeyMultiset + GroupLogits);
//   BM_MonteCarloTransformerReference
//                             the same estimate computed directly, OneLayerLogits per target
//                             (ReferenceMonteCarloLoss, O(N^2 d) per document);
//   BM_MonteCarloLinear       the uniform-attention linear predictor y = M xbar + b (M random);
//   BM_MonteCarloTransformerVsN, BM_MonteCarloLinearVsN
//                             the same at fixed N in {50, 100, 200, 400}, one thread, squared loss;
//   BM_MultisetVsN            the full model at fixed u: N in {100, ..., 1600} on a 20-word vocabulary,
//                             where every document soon shows all 20 words and MASK (u about 21);
//   BM_MultisetVsU            the full model at fixed N = 200 and n = 201, u from about 20 to 120 by the
//                             topic size (A1 topics of 10, 40, 100 and 200 words, Dirichlet(0.01): a
//                             document shows about one topic).
// Each iteration estimates the loss from a fixed number of documents (fixed seed, so every iteration
// does the same work); the counters give documents/s, target tokens/s and the estimate itself, and the
// multiset benchmarks the mean number of distinct key tokens (u), distinct queries and target groups
// per document.
//
// Claims tested: the direct computation costs O(N^2 d) per document (N targets, each attending to N
// keys); through the key multiset a document costs O(queries u d + groups d) plus the sampler's O(N),
// so at fixed u the time grows like N (the sampler), not N^2, and at fixed N it follows u; the linear
// predictor costs O(n^2 + N n) (one shared M s product plus a sparse correction per group); the
// 1-thread / 2-thread rows measure the deterministic blocked reduction (about 1.7x on the idle
// reference VM; much less when anything else runs, see docs/BENCHMARKS.md).
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace lb = ldaformer::bench;

constexpr std::uint64_t kSeed = 12345;
// Documents per iteration: 8 blocks of 64, one wave of the parallel reduction with 2 workers.
constexpr std::uint64_t kDocuments = 512;
// For the N sweep: fewer documents, so that N = 400 stays under a second per iteration.
constexpr std::uint64_t kSweepDocuments = 128;
const std::vector<int64_t> kLengths = {50, 100, 200, 400};

// Runs `estimate` (one Monte Carlo estimate over `documents` documents) in the timed loop, and sets
// items (documents), a tokens/s rate and the last estimate as counters. Skips on a non-finite loss.
template <class Estimate>
void RunMonteCarlo(benchmark::State& state, std::uint64_t documents, Estimate estimate) {
  double tokens = 0.0;
  lt::ScalarEstimate last;
  for (auto _ : state) {
    last = estimate();
    tokens += last.targets;
    // The const overload: the non-const one ("+m,r") can corrupt a double under GCC with the
    // Debian 1.7.1 header (google/benchmark#903), and last.value is read afterwards.
    benchmark::DoNotOptimize(std::as_const(last.value));
  }
  if (!std::isfinite(last.value) || last.documents != documents) {
    state.SkipWithError("Monte Carlo estimate is not finite or used the wrong number of documents");
    return;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * documents));
  state.counters["tokens_per_second"] = benchmark::Counter(tokens, benchmark::Counter::kIsRate);
  state.counters["loss"] = last.value;
  state.counters["loss_se"] = last.standard_error;
}

lt::MonteCarloOptions Options(std::uint64_t documents, int threads) {
  lt::MonteCarloOptions options;
  options.documents = documents;
  options.seed = kSeed;
  options.threads = threads;
  options.targets = lt::TargetPositions::kEveryPosition;
  return options;
}

// The rows of the thread-count benchmarks: threads 1 and 2, milliseconds of wall time.
void ThreadRows(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
}

// The rows of the sweeps over N: milliseconds of wall time, with the fitted complexity.
void SweepRows(benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMillisecond)->UseRealTime()->Complexity(); }

// The mean number of distinct key tokens (u), distinct queries and target groups per document, over
// the documents an estimate draws, as counters.
void SetKeyCounters(benchmark::State& state, const lt::Scenario& scenario, std::uint64_t documents) {
  const lt::DocumentSampler sampler(scenario);
  double u = 0.0, queries = 0.0, groups = 0.0;
  for (std::uint64_t d = 0; d < documents; ++d) {
    const lt::KeyMultiset keys = lt::KeyMultiset::FromDocument(sampler.Sample(kSeed, d), scenario.masking.keys,
                                                               lt::TargetPositions::kEveryPosition);
    u += static_cast<double>(keys.tokens.size());
    groups += static_cast<double>(keys.groups.size());
    for (size_t g = 0; g < keys.groups.size(); ++g) {
      if (g == 0 || keys.groups[g].query != keys.groups[g - 1].query) queries += 1.0;
    }
  }
  const double docs = static_cast<double>(documents);
  state.counters["u"] = u / docs;
  state.counters["queries"] = queries / docs;
  state.counters["groups"] = groups / docs;
}

// The full model on the paper's scenario, through the key multiset or directly (the reference).
template <bool kReference>
void BM_Transformer(benchmark::State& state, lt::LossKind loss) {
  const lt::Scenario scenario = lt::PaperSyntheticScenario();
  const int n = scenario.tokens().n();
  const lt::TransformerParams params = lb::RandomSmallParams(n, /*d_k=*/n, kSeed);
  const lt::MonteCarloOptions options = Options(kDocuments, static_cast<int>(state.range(0)));
  RunMonteCarlo(state, kDocuments, [&] {
    return kReference ? lt::ReferenceMonteCarloLoss(scenario, params, loss, options)
                      : lt::MonteCarloLoss(scenario, params, loss, options);
  });
  if (!kReference) SetKeyCounters(state, scenario, kDocuments);
}
void BM_MonteCarloTransformer(benchmark::State& state, lt::LossKind loss) { BM_Transformer<false>(state, loss); }
void BM_MonteCarloTransformerReference(benchmark::State& state, lt::LossKind loss) {
  BM_Transformer<true>(state, loss);
}
BENCHMARK_CAPTURE(BM_MonteCarloTransformer, squared, lt::LossKind::kSquared)->Apply(ThreadRows);
BENCHMARK_CAPTURE(BM_MonteCarloTransformer, cross_entropy, lt::LossKind::kCrossEntropy)->Apply(ThreadRows);
BENCHMARK_CAPTURE(BM_MonteCarloTransformerReference, squared, lt::LossKind::kSquared)->Apply(ThreadRows);
BENCHMARK_CAPTURE(BM_MonteCarloTransformerReference, cross_entropy, lt::LossKind::kCrossEntropy)->Apply(ThreadRows);

void BM_MonteCarloLinear(benchmark::State& state, lt::LossKind loss) {
  const lt::Scenario scenario = lt::PaperSyntheticScenario();
  const lt::LinearPredictor predictor = lt::LinearPredictor::Random(scenario.tokens().n(), kSeed);
  const lt::MonteCarloOptions options = Options(kDocuments, static_cast<int>(state.range(0)));
  RunMonteCarlo(state, kDocuments, [&] { return lt::MonteCarloLoss(scenario, predictor, loss, options); });
}
BENCHMARK_CAPTURE(BM_MonteCarloLinear, squared, lt::LossKind::kSquared)->Apply(ThreadRows);
BENCHMARK_CAPTURE(BM_MonteCarloLinear, cross_entropy, lt::LossKind::kCrossEntropy)->Apply(ThreadRows);

// The full model (d = n, identity decoder, small random matrices), one thread, squared loss, on
// `scenario`: documents/s with the key counters.
void RunMultiset(benchmark::State& state, const lt::Scenario& scenario, std::uint64_t documents) {
  const int n = scenario.tokens().n();
  const lt::TransformerParams params = lb::RandomSmallParams(n, /*d_k=*/n, kSeed);
  const lt::MonteCarloOptions options = Options(documents, 1);
  RunMonteCarlo(state, documents,
                [&] { return lt::MonteCarloLoss(scenario, params, lt::LossKind::kSquared, options); });
  SetKeyCounters(state, scenario, documents);
}

void BM_MonteCarloTransformerVsN(benchmark::State& state) {
  RunMultiset(state, lb::FixedLengthScenario(static_cast<int>(state.range(0))), kSweepDocuments);
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MonteCarloTransformerVsN)->ArgName("N")->ArgsProduct({kLengths})->Apply(SweepRows);

void BM_MonteCarloLinearVsN(benchmark::State& state) {
  const lt::Scenario scenario = lb::FixedLengthScenario(static_cast<int>(state.range(0)));
  const lt::LinearPredictor predictor = lt::LinearPredictor::Random(scenario.tokens().n(), kSeed);
  const lt::MonteCarloOptions options = Options(kSweepDocuments, 1);
  RunMonteCarlo(state, kSweepDocuments,
                [&] { return lt::MonteCarloLoss(scenario, predictor, lt::LossKind::kSquared, options); });
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MonteCarloLinearVsN)->ArgName("N")->ArgsProduct({kLengths})->Apply(SweepRows);

// Fixed u: 2 A1 topics of 10 words, Dirichlet(1), N fixed. A document of N >= 100 shows nearly all
// 20 words and MASK.
const std::vector<int64_t> kFixedULengths = {100, 200, 400, 800, 1600};
void BM_MultisetVsN(benchmark::State& state) {
  lt::Scenario s = lb::FixedLengthScenario(static_cast<int>(state.range(0)));
  s.name += "-v20";
  s.topics = lt::TopicModel::DisjointUniform(2, 20);
  s.prior = lt::DocumentPrior::SymmetricDirichlet(2, 1.0);
  s.Validate();
  RunMultiset(state, s, kSweepDocuments);
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MultisetVsN)->ArgName("N")->ArgsProduct({kFixedULengths})->Apply(SweepRows);

// Fixed N = 200 and v = 200 (n = 201): A1 topics of m words (T = 200 / m), Dirichlet(0.01), so that a
// document shows about one topic and u grows with m.
const std::vector<int64_t> kTopicSizes = {10, 40, 100, 200};
void BM_MultisetVsU(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  lt::Scenario s = lb::FixedLengthScenario(200);
  s.name = "v200-N200-m" + std::to_string(m);
  s.topics = lt::TopicModel::DisjointUniform(200 / m, 200);
  s.prior = lt::DocumentPrior::SymmetricDirichlet(200 / m, 0.01);
  s.Validate();
  RunMultiset(state, s, kDocuments);
}
BENCHMARK(BM_MultisetVsU)
    ->ArgName("topic_words")
    ->ArgsProduct({kTopicSizes})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (const std::string family : {"BM_MonteCarloTransformer", "BM_MonteCarloLinear"}) {
    for (const auto& [kind, name] : lt::kNames<lt::LossKind>) {
      const std::string loss(name);  // the BENCHMARK_CAPTURE names above
      const std::string base = family + "/" + loss;
      ratios.push_back({family.substr(3) + " " + loss + ": 1 thread / 2", base + "/threads:1", base + "/threads:2"});
    }
  }
  for (const auto& [kind, name] : lt::kNames<lt::LossKind>) {
    const std::string loss(name);
    ratios.push_back({"transformer / linear, " + loss + ", 1 thread", "BM_MonteCarloTransformer/" + loss + "/threads:1",
                      "BM_MonteCarloLinear/" + loss + "/threads:1"});
  }
  for (const auto& [kind, name] : lt::kNames<lt::LossKind>) {
    for (const std::string threads : {"1", "2"}) {
      const std::string loss(name);
      ratios.push_back({"reference / multiset, " + loss + ", " + threads + " thr",
                        "BM_MonteCarloTransformerReference/" + loss + "/threads:" + threads,
                        "BM_MonteCarloTransformer/" + loss + "/threads:" + threads});
    }
  }
  for (size_t i = 1; i < kFixedULengths.size(); ++i) {
    const std::string from = std::to_string(kFixedULengths[i - 1]), to = std::to_string(kFixedULengths[i]);
    ratios.push_back(
        {"multiset fixed u, N=" + to + " / N=" + from, "BM_MultisetVsN/N:" + to, "BM_MultisetVsN/N:" + from});
  }
  for (size_t i = 1; i < kTopicSizes.size(); ++i) {
    const std::string from = std::to_string(kTopicSizes[i - 1]), to = std::to_string(kTopicSizes[i]);
    ratios.push_back({"multiset, N=200, topic of " + to + " / " + from, "BM_MultisetVsU/topic_words:" + to,
                      "BM_MultisetVsU/topic_words:" + from});
  }
  for (size_t i = 1; i < kLengths.size(); ++i) {
    const std::string from = std::to_string(kLengths[i - 1]), to = std::to_string(kLengths[i]);
    ratios.push_back({"transformer N=" + to + " / N=" + from, "BM_MonteCarloTransformerVsN/N:" + to,
                      "BM_MonteCarloTransformerVsN/N:" + from});
    ratios.push_back(
        {"linear N=" + to + " / N=" + from, "BM_MonteCarloLinearVsN/N:" + to, "BM_MonteCarloLinearVsN/N:" + from});
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
