// The ratio estimator used for per-token expectations from per-document sums.
#pragma once

#include <cmath>
#include <cstdint>

namespace ldaformer::theory {

// Estimates R = E[S_d] / E[n_d] from i.i.d. documents d, where S_d sums a quantity over the document's
// target tokens and n_d counts them. The standard error is the delta-method one:
//     se(R)^2 = sum_d (S_d - R n_d)^2 / (D (D - 1) nbar^2).
// Value is double or an Eigen array (then everything is elementwise).
template <class Value>
struct RatioAccumulator {
  Value sum_s, sum_ss, sum_sn;  // sums of S_d, S_d^2, S_d n_d
  double sum_n = 0.0, sum_nn = 0.0;
  std::uint64_t documents = 0;

  explicit RatioAccumulator(const Value& zero) : sum_s(zero), sum_ss(zero), sum_sn(zero) {}

  void Add(const Value& s, double n) {
    sum_s += s;
    sum_ss += s * s;
    sum_sn += s * n;
    sum_n += n;
    sum_nn += n * n;
    ++documents;
  }
  void Merge(const RatioAccumulator& o) {
    sum_s += o.sum_s;
    sum_ss += o.sum_ss;
    sum_sn += o.sum_sn;
    sum_n += o.sum_n;
    sum_nn += o.sum_nn;
    documents += o.documents;
  }
  Value Estimate() const { return sum_s / sum_n; }
  Value StandardError() const {
    const double D = static_cast<double>(documents);
    const Value R = Estimate();
    const double nbar = sum_n / D;
    Value ss = sum_ss - 2.0 * R * sum_sn + R * R * sum_nn;
    return Sqrt(Max0(ss) / (D * (D - 1.0))) / nbar;
  }

 private:
  // Rounding can push the sum of squares slightly below zero when every S_d = R n_d.
  static double Max0(double x) { return x > 0.0 ? x : 0.0; }
  template <class A>
  static auto Max0(const A& x) {
    return x.max(0.0);
  }
  static double Sqrt(double x) { return std::sqrt(x); }
  template <class A>
  static auto Sqrt(const A& x) {
    return x.sqrt();
  }
};

}  // namespace ldaformer::theory
