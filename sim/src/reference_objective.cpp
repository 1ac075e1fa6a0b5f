// The objective by the direct computation: every target attends over its key positions one by one. Kept as
// the reference that the key-multiset kernel (objective.cpp) is tested against.
#include "ldaformer/sim/objective.hpp"
#include "table_gradient.hpp"

#include <cmath>

#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::sim {

namespace {

using theory::Matrix;
using theory::Vector;

// Examples per block of the deterministic reduction: fixed, so sums never depend on the thread count.
constexpr std::uint64_t kExamplesPerBlock = 4;

// The token tables of theory::Tabulate, built only as far as the configuration needs: frozen uniform
// attention has all-zero scores, a one-hot embedding makes V = W^V.
theory::TokenTables BuildTables(const theory::TransformerParams& p, const ModelConfig& c) {
  theory::TokenTables t;
  const int n = p.n();
  if (c.TrainsAttention()) {
    const Matrix keys = p.W_K.lazyProduct(p.E), queries = p.W_Q.lazyProduct(p.E);
    t.scores = queries.transpose().lazyProduct(keys) / std::sqrt(double(p.d_k()));
  } else {
    t.scores = Matrix::Zero(n, n);
  }
  t.values = c.TrainsEmbedding() ? Matrix(p.W_V.lazyProduct(p.E)) : p.W_V;
  if (p.decoder == theory::Decoder::kTied) t.decoder = p.E.transpose();
  return t;
}

// dLoss/dy of TokenLoss: 2 (y - e_w) for the squared loss, softmax(y) - e_w for cross-entropy.
Vector LossGradient(theory::LossKind loss, const Vector& y, int w) {
  Vector g;
  if (loss == theory::LossKind::kSquared) {
    g = 2.0 * y;
    g[w] -= 2.0;
  } else {
    g = (y.array() - y.maxCoeff()).exp();
    g /= g.sum();
    g[w] -= 1.0;
  }
  return g;
}

class ExampleAccumulator {
 public:
  ExampleAccumulator(const theory::TokenTables& tables, const ModelConfig& config)
      : t_(tables),
        config_(config),
        tied_(config.decoder == theory::Decoder::kTied),
        uniform_(!config.TrainsAttention()),
        need_values_(config.TrainsValue() || config.TrainsEmbedding()) {}

  void operator()(const MaskedExample& ex, TableGradient& g) const {
    if (ex.targets.empty()) return;
    const int n = static_cast<int>(t_.scores.rows());
    const std::size_t K = ex.keys.size();
    std::vector<int> key_tokens(K);
    for (std::size_t j = 0; j < K; ++j) key_tokens[j] = ex.inputs[ex.keys[j]];
    // With uniform attention u is the same for every target: the mean of the keys' values.
    Vector u_uniform = Vector::Zero(t_.values.rows());
    if (uniform_) {
      for (int token : key_tokens) u_uniform += t_.values.col(token);
      if (K > 0) u_uniform /= double(K);
    }
    Vector du_sum = Vector::Zero(t_.values.rows());
    Vector a(K), da(K);
    for (int i : ex.targets) {
      const int w = ex.words[i];
      ++g.targets;
      if (K == 0) {  // no keys: y = 0 whatever the parameters, so no gradient
        g.loss += theory::TokenLoss(config_.loss, Vector::Zero(n), w);
        continue;
      }
      Vector u;
      const int q = ex.inputs[i];
      if (uniform_) {
        u = u_uniform;
      } else {
        for (std::size_t j = 0; j < K; ++j) a[j] = t_.scores(q, key_tokens[j]);
        a = (a.array() - a.maxCoeff()).exp();
        a /= a.sum();
        u = Vector::Zero(t_.values.rows());
        for (std::size_t j = 0; j < K; ++j) u += a[j] * t_.values.col(key_tokens[j]);
      }
      const Vector y = tied_ ? Vector(t_.decoder.lazyProduct(u)) : u;
      g.loss += theory::TokenLoss(config_.loss, y, w);
      const Vector dy = LossGradient(config_.loss, y, w);
      Vector du;
      if (tied_) {
        if (config_.TrainsEmbedding()) g.decoder.noalias() += dy * u.transpose();
        du = t_.decoder.transpose().lazyProduct(dy);
      } else {
        du = dy;
      }
      if (uniform_) {
        du_sum += du;
        continue;
      }
      for (std::size_t j = 0; j < K; ++j) {
        if (need_values_) g.values.col(key_tokens[j]) += a[j] * du;
        da[j] = du.dot(t_.values.col(key_tokens[j]));
      }
      // Softmax backward: ds_j = a_j (da_j - sum_k a_k da_k).
      const double mean = a.dot(da);
      for (std::size_t j = 0; j < K; ++j) g.scores(q, key_tokens[j]) += a[j] * (da[j] - mean);
    }
    if (uniform_ && K > 0 && need_values_) {
      const Vector share = du_sum / double(K);
      for (int token : key_tokens) g.values.col(token) += share;
    }
  }

 private:
  const theory::TokenTables& t_;
  const ModelConfig& config_;
  const bool tied_;
  const bool uniform_;
  const bool need_values_;
};

}  // namespace

Evaluation ReferenceEvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                                      const std::vector<MaskedExample>& batch, ModelGradient* gradient, int threads) {
  const theory::TokenTables tables = BuildTables(params, config);
  const ExampleAccumulator accumulate(tables, config);
  TableGradient total = theory::DeterministicParallelReduce(
      batch.size(), TableGradient::Zero(params, config),
      [&](std::uint64_t k, TableGradient& acc) { accumulate(batch[k], acc); },
      [](TableGradient& into, const TableGradient& from) {
        into.values += from.values;
        into.scores += from.scores;
        into.decoder += from.decoder;
        into.loss += from.loss;
        into.targets += from.targets;
      },
      threads, kExamplesPerBlock);
  return FinishObjective(params, config, total, gradient);
}

}  // namespace ldaformer::sim
