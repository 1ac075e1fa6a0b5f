#include "ldaformer/theory/multiset_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ldaformer::theory {

namespace {

constexpr double kNoKey = -std::numeric_limits<double>::infinity();

// Per-document scratch space, sized by the number u of distinct key tokens.
struct Scratch {
  Scratch(const TokenTables& t, const KeyMultiset& keys)
      : counts(Eigen::Map<const Eigen::ArrayXi>(keys.counts.data(), keys.counts.size()).cast<double>()),
        values(t.values.rows(), keys.tokens.size()),
        scores(keys.tokens.size()),
        weights(keys.tokens.size()) {
    for (size_t a = 0; a < keys.tokens.size(); ++a) values.col(a) = t.values.col(keys.tokens[a]);
  }
  Eigen::ArrayXd counts;   // c_a
  Matrix values;           // V_a, d x u
  Eigen::ArrayXd scores;   // s(q, a) for the current query
  Eigen::ArrayXd weights;  // c'_a exp(s(q, a) - m)
};

// The unnormalised attention of query q over the shared multiset changed by `c`: writes
// sum_a c'_a exp(s(q, a) - m) V_a into `sum` and returns sum_a c'_a exp(s(q, a) - m), where c' are the
// changed counts and m (written to *shift) is the largest score among the keys with c'_a > 0. The shared
// multiset must not be empty.
double WeightedValues(const TokenTables& t, const KeyMultiset& keys, int q, const KeyCorrection& c, Scratch& x,
                      double* shift, Eigen::Ref<Vector> sum) {
  const auto u = static_cast<Eigen::Index>(keys.tokens.size());
  for (Eigen::Index a = 0; a < u; ++a) x.scores[a] = t.scores(q, keys.tokens[a]);
  x.weights = x.counts;
  if (c.minus >= 0) {
    const auto it = std::lower_bound(keys.tokens.begin(), keys.tokens.end(), c.minus);
    x.weights[it - keys.tokens.begin()] -= 1.0;
  }
  double m = (x.weights > 0.0).select(x.scores, kNoKey).maxCoeff();
  if (c.plus >= 0) m = std::max(m, t.scores(q, c.plus));
  x.weights = (x.weights > 0.0).select(x.weights * (x.scores - m).exp(), 0.0);
  double mass = x.weights.sum();
  // sum = V w, four columns per pass: the sum is read and written once per four keys, and the products
  // of a pass are independent (Eigen's kernels; a BLAS call per query would cost more than the sum).
  const Matrix& V = x.values;
  const Eigen::ArrayXd& w = x.weights;
  sum.setZero();
  Eigen::Index a = 0;
  for (; a + 4 <= u; a += 4) {
    sum += w[a] * V.col(a) + w[a + 1] * V.col(a + 1) + w[a + 2] * V.col(a + 2) + w[a + 3] * V.col(a + 3);
  }
  for (; a < u; ++a) sum += w[a] * V.col(a);
  if (c.plus >= 0) {
    const double w = std::exp(t.scores(q, c.plus) - m);
    mass += w;
    sum += w * t.values.col(c.plus);
  }
  *shift = m;
  return mass;
}

}  // namespace

Matrix GroupLogits(const TokenTables& t, const KeyMultiset& keys) {
  const auto groups = static_cast<int>(keys.groups.size());
  Matrix u(t.values.rows(), groups);
  Vector shared(t.values.rows());
  Scratch scratch(t, keys);
  for (int first = 0; first < groups;) {
    const int q = keys.groups[first].query;
    int last = first;
    while (last < groups && keys.groups[last].query == q) ++last;
    // The shared multiset, once for this query: mass Z = sum_a c_a exp(s(q, a) - m), values `shared`.
    double m = kNoKey;
    const double Z = keys.size > 0 ? WeightedValues(t, keys, q, KeyCorrection{}, scratch, &m, shared) : 0.0;
    if (keys.size == 0) shared.setZero();
    for (int g = first; g < last; ++g) {
      const KeyCorrection& c = keys.groups[g].correction;
      auto ug = u.col(g);
      if (keys.KeyCount(c) <= 0) {
        ug.setZero();
        continue;
      }
      // Everything relative to the largest score of the shared keys and the added one.
      double scale = 1.0, w_plus = 0.0;
      if (c.plus >= 0) {
        const double s_plus = t.scores(q, c.plus);
        if (s_plus > m) {
          scale = std::exp(m - s_plus);  // 0 when there are no shared keys
          w_plus = 1.0;
        } else {
          w_plus = std::exp(s_plus - m);
        }
      }
      const double w_minus = c.minus >= 0 ? scale * std::exp(t.scores(q, c.minus) - m) : 0.0;
      const double kept = scale * Z + w_plus;
      if (w_minus > 0.5 * kept) {
        // Most of the weight is removed: sum the group's own keys instead of cancelling.
        double shift = 0.0;
        const double mass = WeightedValues(t, keys, q, c, scratch, &shift, ug);
        ug /= mass;
        continue;
      }
      // One pass; a missing plus or minus has weight 0 (on column 0, any finite column would do).
      ug =
          (scale * shared + w_plus * t.values.col(std::max(c.plus, 0)) - w_minus * t.values.col(std::max(c.minus, 0))) /
          (kept - w_minus);
    }
    first = last;
  }
  if (t.decoder.size() == 0) return u;
  // lazyProduct: Eigen's kernel, not a per-document BLAS call (see SharedProduct in monte_carlo.cpp).
  return t.decoder.lazyProduct(u);
}

}  // namespace ldaformer::theory
