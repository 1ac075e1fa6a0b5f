// The T3 / D sample-average attention objective on the paper's scenario (PaperSyntheticScenario: v = 100,
// n = 101, N uniform on 100..150, p_m = 0.15, all positions as keys), one call of
// AttentionObjective::Loss with both gradients:
//   BM_AttentionLoss           through each document's u distinct key tokens (AttentionObjective::Loss);
//   BM_AttentionLossReference  the direct computation over all n tokens per query row
//                              (ReferenceAttentionLoss).
// Rows: D's objective (100 documents, one thread: the flow evaluates it about 5e4 times per verify) and
// T3-SAA's (1500 documents, 1 and 2 threads). S and W^V have i.i.d. N(0, 1) entries, so attention is far
// from uniform. The counter max_rel_diff is the largest relative difference of the loss and both gradients
// between the two paths (checked before timing; the benchmark skips above 1e-12).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/solvers/reference_attention_loss.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace ls = ldaformer::solvers;
namespace lb = ldaformer::bench;

constexpr std::uint64_t kSeed = 1;  // verify's default seed

struct Point {
  lt::Matrix S, W_V;
};

Point RandomPoint(int n) { return {lb::RandomMatrix(n, n, 1.0, kSeed, 10), lb::RandomMatrix(n, n, 1.0, kSeed, 11)}; }

double RelativeDifference(const lt::Matrix& a, const lt::Matrix& b) {
  return (a - b).norm() / std::max(b.norm(), 1e-300);
}

template <bool kReference>
void BM_Attention(benchmark::State& state, lt::LossKind loss) {
  const lt::Scenario scenario = lt::PaperSyntheticScenario();
  const auto documents = static_cast<int>(state.range(0));
  const auto threads = static_cast<int>(state.range(1));
  const ls::AttentionObjective objective = ls::AttentionObjective::SampleAverage(scenario, documents, kSeed, threads);
  const Point x = RandomPoint(scenario.tokens().n());
  lt::Matrix gS, gV, rS, rV;
  const double value = objective.Loss(x.S, x.W_V, loss, &gS, &gV);
  const double reference = ls::ReferenceAttentionLoss(objective, x.S, x.W_V, loss, &rS, &rV);
  const double diff = std::max(
      {std::abs(value - reference) / std::abs(reference), RelativeDifference(gS, rS), RelativeDifference(gV, rV)});
  if (!(diff <= 1e-12)) {
    state.SkipWithError("the key-token path and the reference disagree");
    return;
  }
  for (auto _ : state) {
    const double v = kReference ? ls::ReferenceAttentionLoss(objective, x.S, x.W_V, loss, &gS, &gV)
                                : objective.Loss(x.S, x.W_V, loss, &gS, &gV);
    benchmark::DoNotOptimize(v);
  }
  state.counters["max_rel_diff"] = diff;
  state.counters["loss"] = value;
}
void BM_AttentionLoss(benchmark::State& state, lt::LossKind loss) { BM_Attention<false>(state, loss); }
void BM_AttentionLossReference(benchmark::State& state, lt::LossKind loss) { BM_Attention<true>(state, loss); }

// D's objective on one thread; T3-SAA's on one and two.
void Rows(benchmark::internal::Benchmark* b) {
  b->ArgNames({"documents", "threads"})
      ->Args({100, 1})
      ->Args({1500, 1})
      ->Args({1500, 2})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}
BENCHMARK_CAPTURE(BM_AttentionLoss, squared, lt::LossKind::kSquared)->Apply(Rows);
BENCHMARK_CAPTURE(BM_AttentionLoss, cross_entropy, lt::LossKind::kCrossEntropy)->Apply(Rows);
BENCHMARK_CAPTURE(BM_AttentionLossReference, squared, lt::LossKind::kSquared)->Apply(Rows);
BENCHMARK_CAPTURE(BM_AttentionLossReference, cross_entropy, lt::LossKind::kCrossEntropy)->Apply(Rows);

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (const auto& [kind, name] : lt::kNames<lt::LossKind>) {
    for (const std::string row : {"documents:100/threads:1", "documents:1500/threads:1", "documents:1500/threads:2"}) {
      const std::string loss(name);
      ratios.push_back({"reference / key tokens, " + loss + ", " + row, "BM_AttentionLossReference/" + loss + "/" + row,
                        "BM_AttentionLoss/" + loss + "/" + row});
    }
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
