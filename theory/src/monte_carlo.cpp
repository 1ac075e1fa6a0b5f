#include "ldaformer/theory/monte_carlo.hpp"

#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/ratio_estimator.hpp"

namespace ldaformer::theory {

namespace {

using Array2 = Eigen::ArrayXXd;

// Draws options.documents documents and accumulates per_doc(doc, &sum) -> target count into a ratio
// estimator. Deterministic for any thread count.
template <class Value, class PerDocument>
RatioAccumulator<Value> Run(const Scenario& scenario, const MonteCarloOptions& options, const Value& zero,
                            PerDocument per_doc) {
  if (options.documents < 2) {
    throw std::invalid_argument(fmt::format("samples must be >= 2, got {}", options.documents));
  }
  const DocumentSampler sampler(scenario, options.infinite_length);
  const int threads = options.threads > 0 ? options.threads : DefaultThreads();
  auto total = DeterministicParallelReduce(
      options.documents, RatioAccumulator<Value>(zero),
      [&](std::uint64_t d, RatioAccumulator<Value>& acc) {
        const MaskedDocument doc = sampler.Sample(options.seed, d);
        Value sum = zero;
        const double targets = per_doc(doc, sum);
        acc.Add(sum, targets);
      },
      [](RatioAccumulator<Value>& into, const RatioAccumulator<Value>& from) { into.Merge(from); }, threads);
  if (total.sum_n <= 0.0) {
    throw std::runtime_error(
        fmt::format("Monte Carlo on '{}' drew no target token in {} documents (p_m={} with selected targets?)",
                    scenario.name, options.documents, scenario.masking.p_m));
  }
  return total;
}

std::vector<int> Targets(const MaskedDocument& doc, TargetPositions targets) {
  std::vector<int> out;
  for (int i = 0; i < doc.N(); ++i) {
    if (targets == TargetPositions::kEveryPosition || doc.selected[i]) out.push_back(i);
  }
  return out;
}

// xbar for every target of one document, as xbar_i = (s + e_plus_i - e_minus_i) / K_i: a shared count
// vector s plus a sparse correction, so that sums over targets cost O(n^2 + N) instead of O(N n^2).
struct KeyAverages {
  Vector s;                      // token counts of the shared key set
  std::vector<int> targets;      // target positions
  std::vector<int> K;            // key-set size per target (0: xbar = 0)
  std::vector<int> plus, minus;  // correction tokens per target, -1 for none
};

KeyAverages ComputeKeyAverages(const MaskedDocument& doc, const Scenario& scenario, TargetPositions targets) {
  KeyAverages ka;
  ka.s = Vector::Zero(scenario.tokens().n());
  ka.targets = Targets(doc, targets);
  const bool all = scenario.masking.keys == KeySet::kAllPositions;
  int unselected = 0;
  for (int j = 0; j < doc.N(); ++j) {
    if (all || !doc.selected[j]) {
      ka.s[doc.inputs[j]] += 1.0;
      ++unselected;
    }
  }
  for (int i : ka.targets) {
    if (all) {
      // The target shows its target input instead of what the masking drew for it.
      ka.K.push_back(doc.N());
      ka.plus.push_back(doc.target_inputs[i]);
      ka.minus.push_back(doc.inputs[i]);
    } else {
      // The target is never a key.
      ka.K.push_back(doc.selected[i] ? unselected : unselected - 1);
      ka.plus.push_back(-1);
      ka.minus.push_back(doc.selected[i] ? -1 : doc.inputs[i]);
    }
  }
  return ka;
}

// M s with Eigen's own kernel. Through EIGEN_USE_BLAS every document would make an OpenBLAS call,
// whose thread pool then competes with the Monte Carlo threads (measured: 3x slower with 2 threads).
Vector SharedProduct(const Matrix& M, const Vector& s) { return M.lazyProduct(s); }

// y_t = M xbar_t + b for target t, given the shared product Ms = M s.
Vector LinearPrediction(const LinearPredictor& p, const Vector& Ms, const KeyAverages& ka, size_t t) {
  if (ka.K[t] == 0) return p.b;
  Vector Mx = Ms;
  if (ka.plus[t] >= 0) Mx += p.M.col(ka.plus[t]);
  if (ka.minus[t] >= 0) Mx -= p.M.col(ka.minus[t]);
  return Mx / ka.K[t] + p.b;
}

ScalarEstimate ToScalar(const RatioAccumulator<double>& acc) {
  return ScalarEstimate{acc.Estimate(), acc.StandardError(), acc.documents, acc.sum_n};
}

MatrixEstimate ToMatrix(const RatioAccumulator<Array2>& acc) {
  return MatrixEstimate{acc.Estimate().matrix(), acc.StandardError().matrix()};
}

}  // namespace

ScalarEstimate MonteCarloLoss(const Scenario& scenario, const LinearPredictor& p, LossKind loss,
                              const MonteCarloOptions& options) {
  const auto acc = Run(scenario, options, 0.0, [&](const MaskedDocument& doc, double& sum) {
    const KeyAverages ka = ComputeKeyAverages(doc, scenario, options.targets);
    const Vector Ms = SharedProduct(p.M, ka.s);
    for (size_t t = 0; t < ka.targets.size(); ++t) {
      sum += TokenLoss(loss, LinearPrediction(p, Ms, ka, t), doc.words[ka.targets[t]]);
    }
    return static_cast<double>(ka.targets.size());
  });
  return ToScalar(acc);
}

ScalarEstimate MonteCarloLoss(const Scenario& scenario, const TransformerParams& params, LossKind loss,
                              const MonteCarloOptions& options) {
  params.Validate();
  const TokenTables tables = Tabulate(params);
  const bool all = scenario.masking.keys == KeySet::kAllPositions;
  const auto acc = Run(scenario, options, 0.0, [&](const MaskedDocument& doc, double& sum) {
    const std::vector<int> targets = Targets(doc, options.targets);
    std::vector<int> keys;
    for (int i : targets) {
      keys.clear();
      for (int j = 0; j < doc.N(); ++j) {
        if (j == i) {
          if (all) keys.push_back(doc.target_inputs[i]);
        } else if (all || !doc.selected[j]) {
          keys.push_back(doc.inputs[j]);
        }
      }
      sum += TokenLoss(loss, OneLayerLogits(tables, doc.target_inputs[i], keys), doc.words[i]);
    }
    return static_cast<double>(targets.size());
  });
  return ToScalar(acc);
}

SecondMomentEstimate MonteCarloSecondMoments(const Scenario& scenario, const MonteCarloOptions& options) {
  const int n = scenario.tokens().n();
  // Packed as [A | C | E[xbar]], n x (2n + 1), so one ratio estimator serves all three.
  const auto acc =
      Run(scenario, options, Array2::Zero(n, 2 * n + 1).eval(), [&](const MaskedDocument& doc, Array2& sum) {
        const KeyAverages ka = ComputeKeyAverages(doc, scenario, options.targets);
        Vector word_weight = Vector::Zero(n);  // sum_i e_{w_i} / K_i
        Vector delta_sq = Vector::Zero(n);     // sum_i d_i / K_i^2
        Vector delta = Vector::Zero(n);        // sum_i d_i / K_i
        double inv_K = 0.0, inv_K2 = 0.0;
        Matrix A_sparse = Matrix::Zero(n, n);  // sum_i e_{w_i} d_i^T / K_i
        Matrix C_sparse = Matrix::Zero(n, n);  // sum_i d_i d_i^T / K_i^2
        for (size_t t = 0; t < ka.targets.size(); ++t) {
          if (ka.K[t] == 0) continue;
          const double k1 = 1.0 / ka.K[t], k2 = k1 * k1;
          const int w = doc.words[ka.targets[t]];
          inv_K += k1;
          inv_K2 += k2;
          word_weight[w] += k1;
          const std::pair<int, double> d[2] = {{ka.plus[t], 1.0}, {ka.minus[t], -1.0}};
          for (const auto& [tok, sign] : d) {
            if (tok < 0) continue;
            delta[tok] += sign * k1;
            delta_sq[tok] += sign * k2;
            A_sparse(w, tok) += sign * k1;
            for (const auto& [tok2, sign2] : d) {
              if (tok2 >= 0) C_sparse(tok, tok2) += sign * sign2 * k2;
            }
          }
        }
        sum.leftCols(n) = (word_weight * ka.s.transpose() + A_sparse).array();
        sum.middleCols(n, n) =
            (inv_K2 * ka.s * ka.s.transpose() + ka.s * delta_sq.transpose() + delta_sq * ka.s.transpose() + C_sparse)
                .array();
        sum.col(2 * n) = (inv_K * ka.s + delta).array();
        return static_cast<double>(ka.targets.size());
      });
  const MatrixEstimate packed = ToMatrix(acc);
  SecondMomentEstimate out;
  out.A = {packed.value.leftCols(n), packed.standard_error.leftCols(n)};
  out.C = {packed.value.middleCols(n, n), packed.standard_error.middleCols(n, n)};
  out.xbar_mean = {packed.value.col(2 * n), packed.standard_error.col(2 * n)};
  out.documents = acc.documents;
  return out;
}

MatrixEstimate MonteCarloSquaredLossGradient(const Scenario& scenario, const LinearPredictor& p,
                                             const MonteCarloOptions& options) {
  const int n = scenario.tokens().n();
  // dL/dM = E[2 (y - e_w) xbar^T], dL/db = E[2 (y - e_w)], packed as n x (n + 1).
  const auto acc = Run(scenario, options, Array2::Zero(n, n + 1).eval(), [&](const MaskedDocument& doc, Array2& sum) {
    const KeyAverages ka = ComputeKeyAverages(doc, scenario, options.targets);
    const Vector Ms = SharedProduct(p.M, ka.s);
    Vector residual_over_K = Vector::Zero(n);  // sum_i r_i / K_i, multiplies s^T
    Matrix sparse = Matrix::Zero(n, n);        // sum_i r_i d_i^T / K_i
    Vector residual_sum = Vector::Zero(n);
    for (size_t t = 0; t < ka.targets.size(); ++t) {
      Vector r = LinearPrediction(p, Ms, ka, t);
      r[doc.words[ka.targets[t]]] -= 1.0;
      if (ka.K[t] > 0) {
        residual_over_K += r / ka.K[t];
        if (ka.plus[t] >= 0) sparse.col(ka.plus[t]) += r / ka.K[t];
        if (ka.minus[t] >= 0) sparse.col(ka.minus[t]) -= r / ka.K[t];
      }
      residual_sum += r;
    }
    sum.leftCols(n) = 2.0 * (residual_over_K * ka.s.transpose() + sparse).array();
    sum.col(n) = 2.0 * residual_sum.array();
    return static_cast<double>(ka.targets.size());
  });
  return ToMatrix(acc);
}

}  // namespace ldaformer::theory
