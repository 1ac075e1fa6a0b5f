// A console reporter that, after the usual table, prints ratios between named benchmarks measured in
// the same run: "dense / structured at v = 1000", "2 threads / 1 thread", and so on.
//
// Each ratio is baseline time / candidate time, both the median over repetitions of the wall-clock
// time per iteration, so a ratio above 1 means the candidate is faster. A benchmark that was not run
// (filtered out, or skipped with an error) prints "n/a" instead of a ratio.
//
// The summary goes to the console only. For machine-readable output use
// --benchmark_out=FILE --benchmark_out_format=json, which is written independently of this reporter.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

namespace ldaformer::bench {

// One line of the summary: time(baseline) / time(candidate). Names are the benchmark's function name
// and arguments, without the /min_time:, /repeats:, /real_time suffixes: "BM_ExactLossDense/v:100".
struct Ratio {
  std::string label;
  std::string baseline;
  std::string candidate;
};

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  explicit SummaryReporter(std::vector<Ratio> ratios)
      : benchmark::ConsoleReporter(OO_Tabular), ratios_(std::move(ratios)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations <= 0) continue;
      const double seconds = run.real_accumulated_time / static_cast<double>(run.iterations);
      if (run.run_type == Run::RT_Iteration) {
        seconds_[Key(run)].push_back(seconds);
      } else if (run.aggregate_name == "median" && !run.report_big_o && !run.report_rms) {
        // With --benchmark_display_aggregates_only the repetitions arrive only as aggregates.
        medians_[Key(run)] = seconds;
      }
    }
    benchmark::ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    if (ratios_.empty()) return;
    std::ostream& out = GetOutputStream();
    out << "\nSummary (median wall time per iteration over repetitions; ratio = baseline / candidate)\n";
    char line[512];
    std::snprintf(line, sizeof line, "%-44s %14s %14s %12s\n", "comparison", "baseline", "candidate", "ratio");
    out << line;
    for (const Ratio& r : ratios_) {
      const double base = Median(r.baseline);
      const double cand = Median(r.candidate);
      if (base > 0.0 && cand > 0.0) {
        std::snprintf(line, sizeof line, "%-44s %14s %14s %12.4g\n", r.label.c_str(), Format(base).c_str(),
                      Format(cand).c_str(), base / cand);
      } else {
        std::snprintf(line, sizeof line, "%-44s %14s %14s %12s\n", r.label.c_str(), Format(base).c_str(),
                      Format(cand).c_str(), "n/a");
      }
      out << line;
    }
    out.flush();
  }

 private:
  static std::string Key(const Run& run) {
    return run.run_name.args.empty() ? run.run_name.function_name
                                     : run.run_name.function_name + "/" + run.run_name.args;
  }

  // The median in seconds, or 0 when the benchmark has no successful run.
  double Median(const std::string& name) const {
    if (const auto m = medians_.find(name); m != medians_.end()) return m->second;
    const auto it = seconds_.find(name);
    if (it == seconds_.end() || it->second.empty()) return 0.0;
    std::vector<double> s = it->second;
    std::sort(s.begin(), s.end());
    const size_t k = s.size() / 2;
    return s.size() % 2 == 1 ? s[k] : 0.5 * (s[k - 1] + s[k]);
  }

  static std::string Format(double seconds) {
    if (seconds <= 0.0) return "n/a";
    char buf[64];
    if (seconds >= 1.0) {
      std::snprintf(buf, sizeof buf, "%.3f s", seconds);
    } else if (seconds >= 1e-3) {
      std::snprintf(buf, sizeof buf, "%.3f ms", seconds * 1e3);
    } else if (seconds >= 1e-6) {
      std::snprintf(buf, sizeof buf, "%.3f us", seconds * 1e6);
    } else {
      std::snprintf(buf, sizeof buf, "%.1f ns", seconds * 1e9);
    }
    return buf;
  }

  std::vector<Ratio> ratios_;
  std::map<std::string, std::vector<double>> seconds_;  // per repetition
  std::map<std::string, double> medians_;               // from "median" aggregates
};

// The main() every ldaformer benchmark program shares: Google Benchmark's flags, then the run with the
// summary reporter.
inline int RunWithSummary(int argc, char** argv, std::vector<Ratio> ratios) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // OpenBLAS threads change what the dense products cost; record the setting with the results.
  for (const char* var : {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}) {
    const char* value = std::getenv(var);
    benchmark::AddCustomContext(var, value != nullptr ? value : "unset");
  }
  SummaryReporter reporter(std::move(ratios));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace ldaformer::bench
