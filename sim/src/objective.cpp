#include "ldaformer/sim/objective.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/column_combination.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "table_gradient.hpp"

namespace ldaformer::sim {

namespace {

using theory::KeyMultiset;
using theory::Matrix;
using theory::TargetGroup;
using theory::Vector;

// Multiply-adds of a batch per thread below which no thread is started: starting and joining one costs
// tens of microseconds, as much as this much work (the W^V-only model's whole minibatch is below it).
constexpr double kWorkPerThread = 4e5;

// What the kernel reads of the model: the scores S (n x n, none under uniform attention) and the values V
// (d x n; W^V itself for the one-hot embedding, no copy), and E for the tied decoder y = E^T u.
struct Tables {
  Matrix scores;
  Matrix embedded_values;  // W^V E when E is trained
  const Matrix* values = nullptr;
  const Matrix* E = nullptr;  // null for the identity decoder
};

Tables BuildTables(const theory::TransformerParams& p, const ModelConfig& c) {
  Tables t;
  if (c.TrainsAttention()) {
    if (c.TrainsEmbedding()) {
      const Matrix keys = p.W_K * p.E, queries = p.W_Q * p.E;
      t.scores.noalias() = queries.transpose() * keys;
    } else {
      t.scores.noalias() = p.W_Q.transpose() * p.W_K;  // E = I
    }
    t.scores /= std::sqrt(double(p.d_k()));
  }
  if (c.TrainsEmbedding()) {
    t.embedded_values.noalias() = p.W_V * p.E;
    t.values = &t.embedded_values;
  } else {
    t.values = &p.W_V;
  }
  if (p.decoder == theory::Decoder::kTied) t.E = &p.E;
  return t;
}

// One example's contribution to the table derivatives, written by one thread and merged in batch order.
// Column a of `values` and row a of `scores` belong to the example's distinct key token keys.tokens[a].
struct ExampleGradient {
  double loss = 0.0;
  Matrix values;   // d x u: dL/dV_a; under uniform attention d x 1, dL/dxbar (V_a gets c_a / K of it)
  Matrix scores;   // u x groups: dL/dS(q_g, a)
  Matrix logits;   // n x groups: dL/dy of each group (tied decoder with E trained)
  Matrix outputs;  // d x groups: the attention output u of each group (same)
};

class ExampleKernel {
 public:
  ExampleKernel(const Tables& t, const ModelConfig& c, int logits)
      : t_(t),
        loss_(c.loss),
        uniform_(!c.TrainsAttention()),
        need_values_(c.TrainsValue() || c.TrainsEmbedding()),
        need_decoder_(t.E != nullptr && c.TrainsEmbedding()),
        logits_(logits) {}

  // The loss of `keys`' targets and, when `g` is set up for a gradient, their table derivatives.
  void operator()(const KeyMultiset& keys, bool gradient, ExampleGradient& g) const {
    const auto u = static_cast<Eigen::Index>(keys.tokens.size());
    const Eigen::Index d = t_.values->rows();
    const auto groups = static_cast<Eigen::Index>(uniform_ ? 1 : keys.groups.size());
    g.loss = 0.0;
    if (keys.size == 0) {  // no keys: y = 0 whatever the parameters, so no gradient
      const Vector zero = Vector::Zero(logits_);
      for (const TargetGroup& group : keys.groups) g.loss += GroupLoss(zero, keys, group.begin, group.end, nullptr);
      g.logits.resize(logits_, 0);  // no columns in the decoder's product over the batch's groups
      g.outputs.resize(d, 0);
      return;
    }
    if (gradient) {
      g.values.setZero(d, uniform_ ? 1 : u);
      if (!uniform_) g.scores.resize(u, groups);
      if (need_decoder_) {
        g.logits.resize(logits_, groups);
        g.outputs.resize(d, groups);
      }
    }
    Vector out(d), y(logits_), dy(logits_), du(d);
    Eigen::ArrayXd alpha(u), dalpha(u);
    for (Eigen::Index k = 0; k < groups; ++k) {
      // Attention weights over the distinct key tokens: alpha_a = c_a exp(S(q, a)) / sum_b c_b exp(S(q, b)).
      int begin = 0, end = static_cast<int>(keys.order.size());
      if (uniform_) {
        for (Eigen::Index a = 0; a < u; ++a) alpha[a] = double(keys.counts[a]) / double(keys.size);
      } else {
        const TargetGroup& group = keys.groups[k];
        begin = group.begin;
        end = group.end;
        for (Eigen::Index a = 0; a < u; ++a) alpha[a] = t_.scores(group.query, keys.tokens[a]);
        const double top = alpha.maxCoeff();
        for (Eigen::Index a = 0; a < u; ++a) alpha[a] = double(keys.counts[a]) * std::exp(alpha[a] - top);
        alpha /= alpha.sum();
      }
      theory::CombineColumns(*t_.values, keys.tokens.data(), alpha.data(), u, out);
      if (t_.E) {
        y.noalias() = t_.E->transpose().lazyProduct(out);  // y_j = <E e_j, u>: contiguous columns of E
      } else {
        y = out;
      }
      g.loss += GroupLoss(y, keys, begin, end, gradient ? &dy : nullptr);
      if (!gradient) continue;
      if (t_.E) {
        du.setZero();
        for (Eigen::Index j = 0; j < logits_; ++j) du += dy[j] * t_.E->col(j);
        if (need_decoder_) {
          g.logits.col(k) = dy;
          g.outputs.col(k) = out;
        }
      } else {
        du = dy;
      }
      if (uniform_) {
        if (need_values_) g.values.col(0) = du;
        continue;
      }
      // u = sum_a alpha_a V_a: dL/dV_a += alpha_a du, dL/dalpha_a = <du, V_a>; softmax backward with
      // count weights: dL/dS(q, a) = alpha_a (dL/dalpha_a - sum_b alpha_b dL/dalpha_b).
      for (Eigen::Index a = 0; a < u; ++a) {
        if (need_values_) g.values.col(a) += alpha[a] * du;
        dalpha[a] = du.dot(t_.values->col(keys.tokens[a]));
      }
      g.scores.col(k) = (alpha * (dalpha - (alpha * dalpha).sum())).matrix();
    }
  }

  // The multiply-adds of one example, to decide whether threads pay.
  double Work(const KeyMultiset& keys) const {
    const double d = double(t_.values->rows());
    const double per_group =
        double(keys.tokens.size()) * d * (uniform_ ? 1.0 : 3.0) + (t_.E ? 2.0 * double(logits_) * d : 0.0);
    return per_group * double(uniform_ ? 1 : keys.groups.size());
  }

 private:
  // The loss of the targets keys.order[begin..end-1], which share the logits y, and when `dy` is not null
  // their summed derivative: sum_t (softmax(y) - e_{w_t}) for cross-entropy, sum_t 2 (y - e_{w_t}) squared.
  double GroupLoss(const Vector& y, const KeyMultiset& keys, int begin, int end, Vector* dy) const {
    const bool squared = loss_ == theory::LossKind::kSquared;
    const double targets = double(end - begin);
    double base = 0.0;
    if (squared || !dy) {
      base = theory::LossBase(loss_, y);
      if (dy) *dy = (2.0 * targets) * y;
    } else {
      // log sum_j exp(y_j) and the softmax from one pass of exponentials.
      const double top = y.maxCoeff();
      *dy = (y.array() - top).exp().matrix();
      const double sum = dy->sum();
      base = top + std::log(sum);
      *dy *= targets / sum;
    }
    double loss = 0.0;
    for (int k = begin; k < end; ++k) {
      const int w = keys.targets[keys.order[k]].word;
      loss += theory::TokenLossFromBase(loss_, base, y[w]);
      if (dy) (*dy)[w] -= squared ? 2.0 : 1.0;
    }
    return loss;
  }

  const Tables& t_;
  const theory::LossKind loss_;
  const bool uniform_;
  const bool need_values_;
  const bool need_decoder_;
  const int logits_;
};

void RequireSharedKeys(const std::vector<const KeyMultiset*>& batch) {
  for (std::size_t k = 0; k < batch.size(); ++k) {
    for (const TargetGroup& group : batch[k]->groups) {
      if (group.correction.plus >= 0 || group.correction.minus >= 0) {
        throw std::invalid_argument(fmt::format(
            "objective: example {} has a target whose keys differ from the shared multiset (correction +{} -{}); "
            "training examples read the same keys for every target (KeyMultiset::FromPositions)",
            k, group.correction.plus, group.correction.minus));
      }
    }
  }
}

// Adds one example's loss, target count and (softmax attention) table derivatives to the batch's sums.
void Merge(const KeyMultiset& keys, const ExampleGradient& e, TableGradient& total) {
  total.loss += e.loss;
  total.targets += keys.targets.size();
  if (keys.size == 0 || e.scores.size() == 0) return;
  const auto u = static_cast<Eigen::Index>(keys.tokens.size());
  if (total.values.size() > 0) {
    for (Eigen::Index a = 0; a < u; ++a) total.values.col(keys.tokens[a]) += e.values.col(a);
  }
  for (Eigen::Index k = 0; k < e.scores.cols(); ++k) {
    const int q = keys.groups[k].query;
    for (Eigen::Index a = 0; a < u; ++a) total.scores(q, keys.tokens[a]) += e.scores(a, k);
  }
}

// Under uniform attention example k's output is xbar_k = sum_a (c_a / K_k) V_a, so
//     dL/dV_a = sum_k (c_a / K_k) dL/dxbar_k,
// a sum over the examples that show token a. Each column of dL/dV is formed once from those examples, in batch
// order, rather than added into once per example.
void MergeUniformValues(const std::vector<const KeyMultiset*>& batch, const std::vector<ExampleGradient>& examples,
                        Matrix& values) {
  const Eigen::Index n = values.cols();
  Matrix dxbar(values.rows(), Eigen::Index(batch.size()));
  std::vector<int> first(n + 1, 0);  // token a's entries: first[a] .. first[a + 1] - 1
  for (std::size_t k = 0; k < batch.size(); ++k) {
    if (batch[k]->size == 0) continue;
    dxbar.col(k) = examples[k].values.col(0);
    for (int a : batch[k]->tokens) ++first[a + 1];
  }
  for (Eigen::Index a = 0; a < n; ++a) first[a + 1] += first[a];
  std::vector<int> example(first[n]), filled(first.begin(), first.end() - 1);
  std::vector<double> share(first[n]);
  for (std::size_t k = 0; k < batch.size(); ++k) {
    const KeyMultiset& keys = *batch[k];
    if (keys.size == 0) continue;
    for (std::size_t a = 0; a < keys.tokens.size(); ++a) {
      const int at = filled[keys.tokens[a]]++;
      example[at] = static_cast<int>(k);
      share[at] = double(keys.counts[a]) / double(keys.size);
    }
  }
  for (Eigen::Index a = 0; a < n; ++a) {
    const int count = first[a + 1] - first[a];
    if (count == 0) continue;
    theory::CombineColumns(dxbar, example.data() + first[a], share.data() + first[a], count, values.col(a));
  }
}

}  // namespace

Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<const KeyMultiset*>& batch, ModelGradient* gradient, int threads) {
  RequireSharedKeys(batch);
  const Tables tables = BuildTables(params, config);
  const ExampleKernel kernel(tables, config, params.n());
  const bool uniform = !config.TrainsAttention();

  double work = 0.0;
  for (const KeyMultiset* keys : batch) work += kernel.Work(*keys);
  const int workers = static_cast<int>(std::clamp(work / kWorkPerThread, 1.0, double(std::max(threads, 1))));
  std::vector<ExampleGradient> examples(batch.size());
  struct None {};
  // Each example writes only its own slot, so the blocks need no merging; one wave of blocks per worker.
  const std::uint64_t block = std::max<std::uint64_t>(1, (batch.size() + 4 * workers - 1) / (4 * workers));
  theory::DeterministicParallelReduce(
      batch.size(), None{}, [&](std::uint64_t k, None&) { kernel(*batch[k], gradient != nullptr, examples[k]); },
      [](None&, const None&) {}, workers, block);

  TableGradient total = gradient ? TableGradient::Zero(params, config) : TableGradient{};
  for (std::size_t k = 0; k < batch.size(); ++k) Merge(*batch[k], examples[k], total);
  if (uniform && total.values.size() > 0) MergeUniformValues(batch, examples, total.values);
  if (gradient && total.decoder.size() > 0) {
    // dL/d(E^T) = sum over groups of dy u^T, as one product over the batch's groups in batch order.
    Eigen::Index columns = 0;
    for (const ExampleGradient& e : examples) columns += e.logits.cols();
    Matrix logits(params.n(), columns), outputs(params.d(), columns);
    Eigen::Index at = 0;
    for (const ExampleGradient& e : examples) {
      logits.middleCols(at, e.logits.cols()) = e.logits;
      outputs.middleCols(at, e.outputs.cols()) = e.outputs;
      at += e.logits.cols();
    }
    total.decoder.noalias() = logits * outputs.transpose();
  }
  return FinishObjective(params, config, total, gradient);
}

Evaluation EvaluateObjective(const theory::TransformerParams& params, const ModelConfig& config,
                             const std::vector<MaskedExample>& batch, ModelGradient* gradient, int threads) {
  std::vector<KeyMultiset> keys;
  keys.reserve(batch.size());
  for (const MaskedExample& example : batch) keys.push_back(ExampleKeys(example));
  std::vector<const KeyMultiset*> pointers;
  pointers.reserve(keys.size());
  for (const KeyMultiset& k : keys) pointers.push_back(&k);
  return EvaluateObjective(params, config, pointers, gradient, threads);
}

}  // namespace ldaformer::sim
