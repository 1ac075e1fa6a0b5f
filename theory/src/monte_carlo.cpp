#include "ldaformer/theory/monte_carlo.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/multiset_attention.hpp"
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

// M s with Eigen's own kernel. Through EIGEN_USE_BLAS every document would make an OpenBLAS call,
// whose thread pool then competes with the Monte Carlo threads (measured: 3x slower with 2 threads).
Vector SharedProduct(const Matrix& M, const Vector& s) { return M.lazyProduct(s); }

// y = M xbar + b for a target with correction c, given the shared product Ms = M s: xbar = (s + e_plus -
// e_minus) / K, or y = b when the key set is empty.
Vector LinearPrediction(const LinearPredictor& p, const Vector& Ms, const KeyMultiset& keys, const KeyCorrection& c) {
  const int K = keys.KeyCount(c);
  if (K == 0) return p.b;
  Vector Mx = Ms;
  if (c.plus >= 0) Mx += p.M.col(c.plus);
  if (c.minus >= 0) Mx -= p.M.col(c.minus);
  return Mx / K + p.b;
}

// The sum of the losses of the targets of `group`, whose logits are y.
double GroupLoss(LossKind loss, const Eigen::Ref<const Vector>& y, const KeyMultiset& keys, const TargetGroup& group) {
  const double base = LossBase(loss, y);
  double sum = 0.0;
  for (int k = group.begin; k < group.end; ++k)
    sum += TokenLossFromBase(loss, base, y[keys.targets[keys.order[k]].word]);
  return sum;
}

KeyMultiset DocumentKeys(const MaskedDocument& doc, const Scenario& scenario, const MonteCarloOptions& options) {
  return KeyMultiset::FromDocument(doc, scenario.masking.keys, options.targets);
}

ScalarEstimate ToScalar(const RatioAccumulator<double>& acc) {
  return ScalarEstimate{acc.Estimate(), acc.StandardError(), acc.documents, acc.sum_n};
}

// The full model's loss: per_doc(tables, doc) -> (loss sum, target count) over the documents, with the
// model tabulated once.
template <class PerDocument>
ScalarEstimate TransformerLoss(const Scenario& scenario, const TransformerParams& params,
                               const MonteCarloOptions& options, PerDocument per_doc) {
  params.Validate();
  const TokenTables tables = Tabulate(params);
  return ToScalar(Run(scenario, options, 0.0, [&](const MaskedDocument& doc, double& sum) {
    const auto [loss_sum, targets] = per_doc(tables, doc);
    sum = loss_sum;
    return targets;
  }));
}

MatrixEstimate ToMatrix(const RatioAccumulator<Array2>& acc) {
  return MatrixEstimate{acc.Estimate().matrix(), acc.StandardError().matrix()};
}

}  // namespace

ScalarEstimate MonteCarloLoss(const Scenario& scenario, const LinearPredictor& p, LossKind loss,
                              const MonteCarloOptions& options) {
  const auto acc = Run(scenario, options, 0.0, [&](const MaskedDocument& doc, double& sum) {
    const KeyMultiset keys = DocumentKeys(doc, scenario, options);
    const Vector Ms = SharedProduct(p.M, keys.CountVector(scenario.tokens().n()));
    for (const TargetGroup& group : keys.groups) {
      sum += GroupLoss(loss, LinearPrediction(p, Ms, keys, group.correction), keys, group);
    }
    return static_cast<double>(keys.targets.size());
  });
  return ToScalar(acc);
}

ScalarEstimate MonteCarloLoss(const Scenario& scenario, const TransformerParams& params, LossKind loss,
                              const MonteCarloOptions& options) {
  return TransformerLoss(scenario, params, options, [&](const TokenTables& tables, const MaskedDocument& doc) {
    const KeyMultiset keys = DocumentKeys(doc, scenario, options);
    const Matrix y = GroupLogits(tables, keys);
    double sum = 0.0;
    for (size_t g = 0; g < keys.groups.size(); ++g) sum += GroupLoss(loss, y.col(g), keys, keys.groups[g]);
    return std::make_pair(sum, static_cast<double>(keys.targets.size()));
  });
}

ScalarEstimate ReferenceMonteCarloLoss(const Scenario& scenario, const TransformerParams& params, LossKind loss,
                                       const MonteCarloOptions& options) {
  const bool all = scenario.masking.keys == KeySet::kAllPositions;
  return TransformerLoss(scenario, params, options, [&](const TokenTables& tables, const MaskedDocument& doc) {
    std::vector<int> keys;
    double sum = 0.0, targets = 0.0;
    for (int i = 0; i < doc.N(); ++i) {
      if (options.targets == TargetPositions::kSelected && !doc.selected[i]) continue;
      keys.clear();
      for (int j = 0; j < doc.N(); ++j) {
        if (j == i) {
          if (all) keys.push_back(doc.target_inputs[i]);
        } else if (all || !doc.selected[j]) {
          keys.push_back(doc.inputs[j]);
        }
      }
      sum += TokenLoss(loss, OneLayerLogits(tables, doc.target_inputs[i], keys), doc.words[i]);
      targets += 1.0;
    }
    return std::make_pair(sum, targets);
  });
}

SecondMomentEstimate MonteCarloSecondMoments(const Scenario& scenario, const MonteCarloOptions& options) {
  const int n = scenario.tokens().n();
  // Packed as [A | C | E[xbar]], n x (2n + 1), so one ratio estimator serves all three.
  const auto acc =
      Run(scenario, options, Array2::Zero(n, 2 * n + 1).eval(), [&](const MaskedDocument& doc, Array2& sum) {
        const KeyMultiset keys = DocumentKeys(doc, scenario, options);
        const Vector s = keys.CountVector(n);
        Vector word_weight = Vector::Zero(n);  // sum_i e_{w_i} / K_i
        Vector delta_sq = Vector::Zero(n);     // sum_i d_i / K_i^2
        Vector delta = Vector::Zero(n);        // sum_i d_i / K_i
        double inv_K = 0.0, inv_K2 = 0.0;
        Matrix A_sparse = Matrix::Zero(n, n);  // sum_i e_{w_i} d_i^T / K_i
        Matrix C_sparse = Matrix::Zero(n, n);  // sum_i d_i d_i^T / K_i^2
        for (const KeyTarget& target : keys.targets) {
          const int K = keys.KeyCount(target.correction);
          if (K == 0) continue;
          const double k1 = 1.0 / K, k2 = k1 * k1;
          const int w = target.word;
          inv_K += k1;
          inv_K2 += k2;
          word_weight[w] += k1;
          const std::pair<int, double> d[2] = {{target.correction.plus, 1.0}, {target.correction.minus, -1.0}};
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
        sum.leftCols(n) = (word_weight * s.transpose() + A_sparse).array();
        sum.middleCols(n, n) =
            (inv_K2 * s * s.transpose() + s * delta_sq.transpose() + delta_sq * s.transpose() + C_sparse).array();
        sum.col(2 * n) = (inv_K * s + delta).array();
        return static_cast<double>(keys.targets.size());
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
    const KeyMultiset keys = DocumentKeys(doc, scenario, options);
    const Vector s = keys.CountVector(n);
    const Vector Ms = SharedProduct(p.M, s);
    Vector residual_over_K = Vector::Zero(n);  // sum_i r_i / K_i, multiplies s^T
    Matrix sparse = Matrix::Zero(n, n);        // sum_i r_i d_i^T / K_i
    Vector residual_sum = Vector::Zero(n);
    for (const KeyTarget& target : keys.targets) {
      const KeyCorrection& c = target.correction;
      const int K = keys.KeyCount(c);
      Vector r = LinearPrediction(p, Ms, keys, c);
      r[target.word] -= 1.0;
      if (K > 0) {
        residual_over_K += r / K;
        if (c.plus >= 0) sparse.col(c.plus) += r / K;
        if (c.minus >= 0) sparse.col(c.minus) -= r / K;
      }
      residual_sum += r;
    }
    sum.leftCols(n) = 2.0 * (residual_over_K * s.transpose() + sparse).array();
    sum.col(n) = 2.0 * residual_sum.array();
    return static_cast<double>(keys.targets.size());
  });
  return ToMatrix(acc);
}

}  // namespace ldaformer::theory
