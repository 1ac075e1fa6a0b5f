#include "ldaformer/theory/multiset_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ldaformer::theory {

namespace {

constexpr double kNoKey = -std::numeric_limits<double>::infinity();

// The unnormalised attention of query q over the shared multiset changed by `c`: writes
// sum_a c'_a exp(s(q, a) - m) V_a into `sum` and returns sum_a c'_a exp(s(q, a) - m), where c' are the
// changed counts and m (written to *shift) is the largest score among the keys with c'_a > 0.
double WeightedValues(const TokenTables& t, const KeyMultiset& keys, int q, const KeyCorrection& c, double* shift,
                      Eigen::Ref<Vector> sum) {
  auto count = [&](size_t a) { return keys.counts[a] - (keys.tokens[a] == c.minus ? 1 : 0); };
  double m = c.plus >= 0 ? t.scores(q, c.plus) : kNoKey;
  for (size_t a = 0; a < keys.tokens.size(); ++a) {
    if (count(a) > 0) m = std::max(m, t.scores(q, keys.tokens[a]));
  }
  double mass = 0.0;
  sum.setZero();
  for (size_t a = 0; a < keys.tokens.size(); ++a) {
    const int ca = count(a);
    if (ca == 0) continue;
    const double w = ca * std::exp(t.scores(q, keys.tokens[a]) - m);
    mass += w;
    sum += w * t.values.col(keys.tokens[a]);
  }
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
  for (int first = 0; first < groups;) {
    const int q = keys.groups[first].query;
    int last = first;
    while (last < groups && keys.groups[last].query == q) ++last;
    // The shared multiset, once for this query: mass Z = sum_a c_a exp(s(q, a) - m), values `shared`.
    double m = kNoKey;
    const double Z = keys.size > 0 ? WeightedValues(t, keys, q, KeyCorrection{}, &m, shared) : 0.0;
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
        const double mass = WeightedValues(t, keys, q, c, &shift, ug);
        ug /= mass;
        continue;
      }
      ug = scale * shared;
      if (c.plus >= 0) ug += w_plus * t.values.col(c.plus);
      if (c.minus >= 0) ug -= w_minus * t.values.col(c.minus);
      ug /= kept - w_minus;
    }
    first = last;
  }
  if (t.decoder.size() == 0) return u;
  // lazyProduct: Eigen's kernel, not a per-document BLAS call (see SharedProduct in monte_carlo.cpp).
  return t.decoder.lazyProduct(u);
}

}  // namespace ldaformer::theory
