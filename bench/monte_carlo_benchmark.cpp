// Monte Carlo throughput in documents per second (items_per_second), on the paper's default scenario
// (PaperSyntheticScenario: T = 10, v = 100, n = 101, N uniform on 100..150), every position a target:
//   BM_MonteCarloTransformer  the full one-layer model, softmax attention over all N positions,
//                             d = n = 101, d_k = 101, small random matrices, identity decoder;
//   BM_MonteCarloLinear       the uniform-attention linear predictor y = M xbar + b (M random);
//   BM_MonteCarloTransformerVsN, BM_MonteCarloLinearVsN
//                             the same at fixed N in {50, 100, 200, 400}, one thread, squared loss.
// Each iteration estimates the loss from kDocuments documents (fixed seed, so every iteration does
// the same work); the counters give documents/s, target tokens/s and the estimate itself.
//
// Claims tested: full attention costs O(N^2 d) per document (N targets, each attending to N keys),
// the linear predictor O(n^2 + N n) (one shared M s product plus a sparse correction per target);
// the 1-thread / 2-thread rows measure the deterministic blocked reduction (about 1.7x on the idle
// reference VM; much less when anything else runs, see docs/BENCHMARKS.md).
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
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

void BM_MonteCarloTransformer(benchmark::State& state, lt::LossKind loss) {
  const lt::Scenario scenario = lt::PaperSyntheticScenario();
  const int n = scenario.tokens().n();
  const lt::TransformerParams params = lb::RandomSmallParams(n, /*d_k=*/n, kSeed);
  const lt::MonteCarloOptions options = Options(kDocuments, static_cast<int>(state.range(0)));
  RunMonteCarlo(state, kDocuments, [&] { return lt::MonteCarloLoss(scenario, params, loss, options); });
}
BENCHMARK_CAPTURE(BM_MonteCarloTransformer, squared, lt::LossKind::kSquared)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_MonteCarloTransformer, cross_entropy, lt::LossKind::kCrossEntropy)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_MonteCarloLinear(benchmark::State& state, lt::LossKind loss) {
  const lt::Scenario scenario = lt::PaperSyntheticScenario();
  const lt::LinearPredictor predictor = lt::LinearPredictor::Random(scenario.tokens().n(), kSeed);
  const lt::MonteCarloOptions options = Options(kDocuments, static_cast<int>(state.range(0)));
  RunMonteCarlo(state, kDocuments, [&] { return lt::MonteCarloLoss(scenario, predictor, loss, options); });
}
BENCHMARK_CAPTURE(BM_MonteCarloLinear, squared, lt::LossKind::kSquared)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_MonteCarloLinear, cross_entropy, lt::LossKind::kCrossEntropy)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_MonteCarloTransformerVsN(benchmark::State& state) {
  const lt::Scenario scenario = lb::FixedLengthScenario(static_cast<int>(state.range(0)));
  const int n = scenario.tokens().n();
  const lt::TransformerParams params = lb::RandomSmallParams(n, /*d_k=*/n, kSeed);
  const lt::MonteCarloOptions options = Options(kSweepDocuments, 1);
  RunMonteCarlo(state, kSweepDocuments,
                [&] { return lt::MonteCarloLoss(scenario, params, lt::LossKind::kSquared, options); });
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MonteCarloTransformerVsN)
    ->ArgName("N")
    ->ArgsProduct({kLengths})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

void BM_MonteCarloLinearVsN(benchmark::State& state) {
  const lt::Scenario scenario = lb::FixedLengthScenario(static_cast<int>(state.range(0)));
  const lt::LinearPredictor predictor = lt::LinearPredictor::Random(scenario.tokens().n(), kSeed);
  const lt::MonteCarloOptions options = Options(kSweepDocuments, 1);
  RunMonteCarlo(state, kSweepDocuments,
                [&] { return lt::MonteCarloLoss(scenario, predictor, lt::LossKind::kSquared, options); });
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MonteCarloLinearVsN)
    ->ArgName("N")
    ->ArgsProduct({kLengths})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

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
  for (size_t i = 1; i < kLengths.size(); ++i) {
    const std::string from = std::to_string(kLengths[i - 1]), to = std::to_string(kLengths[i]);
    ratios.push_back({"transformer N=" + to + " / N=" + from, "BM_MonteCarloTransformerVsN/N:" + to,
                      "BM_MonteCarloTransformerVsN/N:" + from});
    ratios.push_back(
        {"linear N=" + to + " / N=" + from, "BM_MonteCarloLinearVsN/N:" + to, "BM_MonteCarloLinearVsN/N:" + from});
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
