// The exact squared population loss plus its gradient (docs/THEORY.md), three ways, on the paper's
// scenario with v words, v in {100, 1000, 4000}:
//   BM_ExactLossDense       dense moments, dense predictor: O(n^3), the product M C dominates;
//   BM_ExactLossStructured  structured moments, dense predictor: O(n^2), M C in the topic-block algebra;
//   BM_ExactLossBlock       structured moments, block predictor: O(s^3), independent of v;
//   BM_StreamingPass        one read of the dense predictor's n x n matrix M (its sum): the memory
//                           floor that the structured path, O(n^2) and bandwidth-bound, is measured by.
// The moments are computed once per v outside the timed loop (second_moments_benchmark times them).
// Before timing, each benchmark checks that the three paths give the same loss (1e-10 relative) and
// the same dense gradient, and reports SkipWithError otherwise.
//
// OpenBLAS runs the dense product M C on all cores (2 on the reference machine); the structured paths
// are single-threaded Eigen. Set OPENBLAS_NUM_THREADS=1 for a one-core comparison.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/topic_block_matrix.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace lb = ldaformer::bench;
using lb::kVocabularies;

constexpr std::uint64_t kSeed = 12345;
// The three paths compute the same quadratic form in different orders; the sums have O(n^2) terms
// of mixed sign. Observed on the reference machine (counter max_rel_diff): 5e-15 at v = 100,
// 6e-14 at v = 1000, 7e-13 at v = 4000, so 1e-10 keeps a margin of about 140 at the largest v.
constexpr double kAgreementTolerance = 1e-10;

// A block predictor with random coefficients, scaled so that the loss is O(1) for every v:
// a ~ N(0,1), b ~ N(0,1)/m, c ~ N(0,1)/v, f, g ~ N(0,1)/sqrt(v), S ~ N(0,1), w, sp ~ N(0,1)/sqrt(n).
lt::BlockLinearPredictor RandomBlockPredictor(int T, int m, int s, std::uint64_t seed) {
  const int v = T * m;
  const double n = v + s;
  const lt::Matrix z = lb::RandomMatrix(3 + 2 * s + s * s + 1 + s, 1, 1.0, seed, 7);
  int k = 0;
  lt::BlockLinearPredictor p;
  p.M = lt::TopicBlockMatrix::Zero(T, m, s);
  p.M.a = z(k++);
  p.M.b = z(k++) / m;
  p.M.c = z(k++) / v;
  for (int i = 0; i < s; ++i) p.M.f[i] = z(k++) / std::sqrt(double(v));
  for (int i = 0; i < s; ++i) p.M.g[i] = z(k++) / std::sqrt(double(v));
  for (int j = 0; j < s; ++j)
    for (int i = 0; i < s; ++i) p.M.S(i, j) = z(k++);
  p.b = lt::TopicBlockVector::Zero(s);
  p.b.w = z(k++) / std::sqrt(n);
  for (int i = 0; i < s; ++i) p.b.sp[i] = z(k++) / std::sqrt(n);
  return p;
}

double RelativeDifference(double x, double reference) {
  return std::abs(x - reference) / std::max(std::abs(reference), 1e-300);
}

// Everything the loss benchmarks need at one v, built once (the dense moments at v = 4000 take
// about a second and 256 MB) and checked once.
struct LossFixture {
  lt::SecondMoments dense;
  lt::StructuredSecondMoments structured;
  lt::LinearPredictor predictor;   // random dense predictor, entries N(0, 1/n)
  lt::BlockLinearPredictor block;  // random block predictor
  double max_rel_diff = 0.0;       // the largest of the three relative differences below
  std::string error;               // non-empty when the paths disagree
};

const LossFixture& FixtureFor(int v) {
  static std::map<int, std::unique_ptr<LossFixture>> cache;
  auto& slot = cache[v];
  if (slot) return *slot;
  slot = std::make_unique<LossFixture>();
  LossFixture& fx = *slot;
  const lt::Scenario scenario = lb::A1Scenario(v);
  const int n = scenario.tokens().n();
  fx.dense = lt::ExactSecondMoments(scenario);
  fx.structured = lt::ExactStructuredSecondMoments(scenario);
  fx.predictor = lt::LinearPredictor::Random(n, kSeed);
  fx.block = RandomBlockPredictor(scenario.topics.T, scenario.topics.m(), scenario.num_special, kSeed);

  // Dense predictor: dense path against structured path, loss and gradient.
  lt::LinearPredictor g_dense, g_structured;
  const double l_dense = lt::ExactSquaredLoss(fx.dense, fx.predictor, &g_dense);
  const double l_structured = lt::ExactSquaredLoss(fx.structured, fx.predictor, &g_structured);
  const double d_loss = RelativeDifference(l_structured, l_dense);
  const double d_grad = ((g_structured.M - g_dense.M).norm() + (g_structured.b - g_dense.b).norm()) /
                        (g_dense.M.norm() + g_dense.b.norm());
  // Block predictor: block path against the dense path on its dense expansion.
  const lt::LinearPredictor expanded{fx.block.M.Dense(), fx.block.b.Dense(v)};
  const double l_block_dense = lt::ExactSquaredLoss(fx.dense, expanded);
  const double l_block = lt::ExactSquaredLoss(fx.structured, fx.block);
  const double d_block = RelativeDifference(l_block, l_block_dense);
  fx.max_rel_diff = std::max({d_loss, d_grad, d_block});
  if (!(d_loss <= kAgreementTolerance && d_grad <= kAgreementTolerance && d_block <= kAgreementTolerance)) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "paths disagree at v=%d: loss rel diff %.3g, gradient rel diff %.3g, block loss rel diff "
                  "%.3g (tolerance %.0e)",
                  v, d_loss, d_grad, d_block, kAgreementTolerance);
    fx.error = msg;
  }
  return fx;
}

// Looks up the fixture and reports a failed guard; returns nullptr when the benchmark must stop.
// Caveat (libbenchmark 1.7.1): when *every* run of a ->Complexity() family is skipped with an error,
// the library reads Runs.front() of an empty vector and crashes (SIGSEGV) after printing the error
// lines; a failure at some v only is reported normally.
const LossFixture* Prepare(benchmark::State& state) {
  const int v = static_cast<int>(state.range(0));
  const LossFixture& fx = FixtureFor(v);
  if (!fx.error.empty()) {
    state.SkipWithError(fx.error.c_str());
    return nullptr;
  }
  // Reported with every row, so the timings carry the agreement they were checked at.
  state.counters["max_rel_diff"] = fx.max_rel_diff;
  return &fx;
}

void BM_ExactLossDense(benchmark::State& state) {
  const LossFixture* fx = Prepare(state);
  if (fx == nullptr) return;
  lt::LinearPredictor gradient = lt::LinearPredictor::Zero(fx->predictor.b.size());
  for (auto _ : state) {
    const double loss = lt::ExactSquaredLoss(fx->dense, fx->predictor, &gradient);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(gradient.M.data());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
// At v = 4000 one call is about 1.3e11 flops (2 n^3 for M C): a single iteration already exceeds
// the default --benchmark_min_time (0.5 s), so the runner stops after it.
BENCHMARK(BM_ExactLossDense)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

void BM_ExactLossStructured(benchmark::State& state) {
  const LossFixture* fx = Prepare(state);
  if (fx == nullptr) return;
  lt::LinearPredictor gradient = lt::LinearPredictor::Zero(fx->predictor.b.size());
  for (auto _ : state) {
    const double loss = lt::ExactSquaredLoss(fx->structured, fx->predictor, &gradient);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(gradient.M.data());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ExactLossStructured)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

void BM_ExactLossBlock(benchmark::State& state) {
  const LossFixture* fx = Prepare(state);
  if (fx == nullptr) return;
  lt::BlockLinearPredictor gradient;
  for (auto _ : state) {
    const double loss = lt::ExactSquaredLoss(fx->structured, fx->block, &gradient);
    benchmark::DoNotOptimize(loss);
    benchmark::DoNotOptimize(std::as_const(gradient.M.a));
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ExactLossBlock)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Complexity();

void BM_StreamingPass(benchmark::State& state) {
  const LossFixture* fx = Prepare(state);
  if (fx == nullptr) return;
  const lt::Matrix& M = fx->predictor.M;
  for (auto _ : state) {
    const double sum = M.sum();
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(M.size() * sizeof(double)));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_StreamingPass)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (int64_t v : kVocabularies) {
    const std::string arg = "/v:" + std::to_string(v);
    ratios.push_back({"loss+grad dense / structured, v=" + std::to_string(v), "BM_ExactLossDense" + arg,
                      "BM_ExactLossStructured" + arg});
    ratios.push_back(
        {"loss+grad dense / block, v=" + std::to_string(v), "BM_ExactLossDense" + arg, "BM_ExactLossBlock" + arg});
    ratios.push_back({"loss+grad structured / block, v=" + std::to_string(v), "BM_ExactLossStructured" + arg,
                      "BM_ExactLossBlock" + arg});
  }
  // Baseline and candidate swapped on purpose: the ratio reads "the structured path costs X streaming passes".
  ratios.push_back({"structured / streaming pass, v=4000", "BM_ExactLossStructured/v:4000", "BM_StreamingPass/v:4000"});
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
