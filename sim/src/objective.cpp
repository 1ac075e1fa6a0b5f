#include "ldaformer/sim/objective.hpp"

#include <cmath>

#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/score_gradient.hpp"

namespace ldaformer::sim {

namespace {

using theory::Matrix;
using theory::Vector;

// Examples per block of the deterministic reduction: fixed, so sums never depend on the thread count.
constexpr std::uint64_t kExamplesPerBlock = 4;

// Sums over a batch of the losses and of the derivatives with respect to the token tables. Matrix
// products use Eigen's own kernels (lazyProduct) rather than OpenBLAS, whose idle workers would spin
// against the reduction's threads (theory/transformer.cpp measured this).
struct TableGradient {
  Matrix values;   // d x n: dL/dV, V = W^V E
  Matrix scores;   // n x n: dL/dS (empty when attention is uniform)
  Matrix decoder;  // n x d: dL/d(E^T) through the tied decoder (empty otherwise)
  double loss = 0.0;
  std::size_t targets = 0;

  void Add(const TableGradient& other) {
    values += other.values;
    if (scores.size() > 0) scores += other.scores;
    if (decoder.size() > 0) decoder += other.decoder;
    loss += other.loss;
    targets += other.targets;
  }
};

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

double Penalty(const theory::TransformerParams& p, const ModelConfig& c) {
  double penalty = 0.0;
  if (c.TrainsEmbedding()) penalty += c.l2.E * p.E.squaredNorm();
  if (c.TrainsAttention()) penalty += c.l2.W_K * p.W_K.squaredNorm() + c.l2.W_Q * p.W_Q.squaredNorm();
  if (c.TrainsValue()) penalty += c.l2.W_V * p.W_V.squaredNorm();
  return penalty;
}

// The chain rule from the table derivatives (already divided by |S|) to the matrices, plus the L2 terms.
ModelGradient ChainToMatrices(const theory::TransformerParams& p, const ModelConfig& c, const TableGradient& g) {
  ModelGradient grad;
  grad.E = Matrix::Zero(p.E.rows(), p.E.cols());
  grad.W_K = Matrix::Zero(p.W_K.rows(), p.W_K.cols());
  grad.W_Q = Matrix::Zero(p.W_Q.rows(), p.W_Q.cols());
  grad.W_V = Matrix::Zero(p.W_V.rows(), p.W_V.cols());
  const Matrix Et = p.E.transpose();
  if (c.TrainsValue()) {
    grad.W_V = c.TrainsEmbedding() ? Matrix(g.values.lazyProduct(Et)) : g.values;
    grad.W_V += 2.0 * c.l2.W_V * p.W_V;
  }
  if (c.TrainsEmbedding()) {
    grad.E = p.W_V.transpose().lazyProduct(g.values) + 2.0 * c.l2.E * p.E;
    if (c.decoder == theory::Decoder::kTied) grad.E += g.decoder.transpose();
  }
  if (c.TrainsAttention()) {
    const theory::ScoreGradient s =
        theory::ScoreChainRule(g.scores, p.W_K, p.W_Q, c.TrainsEmbedding() ? &p.E : nullptr);
    grad.W_K = s.W_K + 2.0 * c.l2.W_K * p.W_K;
    grad.W_Q = s.W_Q + 2.0 * c.l2.W_Q * p.W_Q;
    if (c.TrainsEmbedding()) grad.E += s.E;
  }
  return grad;
}

}  // namespace

Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<MaskedExample>& batch, ModelGradient* gradient, int threads) {
  const theory::TokenTables tables = BuildTables(params, config);
  const int n = params.n();
  const int d = params.d();
  TableGradient zero;
  zero.values = Matrix::Zero(d, n);
  if (config.TrainsAttention()) zero.scores = Matrix::Zero(n, n);
  if (config.decoder == theory::Decoder::kTied && config.TrainsEmbedding()) zero.decoder = Matrix::Zero(n, d);
  const ExampleAccumulator accumulate(tables, config);
  TableGradient total = theory::DeterministicParallelReduce(
      batch.size(), zero, [&](std::uint64_t k, TableGradient& acc) { accumulate(batch[k], acc); },
      [](TableGradient& into, const TableGradient& from) { into.Add(from); }, threads, kExamplesPerBlock);

  Evaluation e;
  e.targets = total.targets;
  e.data_loss = total.targets > 0 ? total.loss / double(total.targets) : 0.0;
  e.penalty = Penalty(params, config);
  e.objective = e.data_loss + e.penalty;
  if (gradient) {
    if (total.targets > 0) {
      const double scale = 1.0 / double(total.targets);
      total.values *= scale;
      total.scores *= scale;
      total.decoder *= scale;
    }
    *gradient = ChainToMatrices(params, config, total);
  }
  return e;
}

}  // namespace ldaformer::sim
