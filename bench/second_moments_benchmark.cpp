// The cost of the exact second moments A, C, E[xbar], p1 (docs/THEORY.md): dense n x n matrices
// (ExactSecondMoments) against the topic-block algebra (ExactStructuredSecondMoments), on the paper's
// scenario with v words, v in {100, 1000, 4000}.
//
// Claim tested: the structured moments cost O(1) in v (O(s^3) with s = 1 special token), the dense
// ones O(T v^2) for beta^T E[theta theta^T] beta plus O(n^2) for assembling the matrices.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_scenarios.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "summary_reporter.hpp"

namespace {

namespace lt = ldaformer::theory;
namespace lb = ldaformer::bench;
using lb::kVocabularies;

void BM_MomentsDense(benchmark::State& state) {
  const lt::Scenario scenario = lb::A1Scenario(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    lt::SecondMoments mo = lt::ExactSecondMoments(scenario);
    benchmark::DoNotOptimize(mo.C.data());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MomentsDense)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity();

void BM_MomentsStructured(benchmark::State& state) {
  const lt::Scenario scenario = lb::A1Scenario(static_cast<int>(state.range(0)));
  // Guard: the structured moments must expand to the dense ones.
  {
    const lt::SecondMoments dense = lt::ExactSecondMoments(scenario);
    const lt::StructuredSecondMoments block = lt::ExactStructuredSecondMoments(scenario);
    const double scale = dense.C.cwiseAbs().maxCoeff() + dense.A.cwiseAbs().maxCoeff();
    const double diff =
        (block.C.Dense() - dense.C).cwiseAbs().maxCoeff() + (block.A.Dense() - dense.A).cwiseAbs().maxCoeff();
    if (!(diff <= 1e-12 * scale)) {
      const std::string msg = "structured moments differ from dense: max |diff| = " + std::to_string(diff);
      state.SkipWithError(msg.c_str());
      return;
    }
  }
  for (auto _ : state) {
    lt::StructuredSecondMoments mo = lt::ExactStructuredSecondMoments(scenario);
    benchmark::DoNotOptimize(std::as_const(mo.C.a));
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MomentsStructured)
    ->ArgName("v")
    ->ArgsProduct({kVocabularies})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Complexity();

}  // namespace

int main(int argc, char** argv) {
  std::vector<ldaformer::bench::Ratio> ratios;
  for (int64_t v : kVocabularies) {
    const std::string arg = "/v:" + std::to_string(v);
    ratios.push_back(
        {"moments dense / structured, v=" + std::to_string(v), "BM_MomentsDense" + arg, "BM_MomentsStructured" + arg});
  }
  return ldaformer::bench::RunWithSummary(argc, argv, ratios);
}
