#include "table_gradient.hpp"

#include <utility>

#include "ldaformer/theory/score_gradient.hpp"

namespace ldaformer::sim {

namespace {

using theory::Matrix;

double Penalty(const theory::TransformerParams& p, const ModelConfig& c) {
  double penalty = 0.0;
  if (c.TrainsEmbedding()) penalty += c.l2.E * p.E.squaredNorm();
  if (c.TrainsAttention()) penalty += c.l2.W_K * p.W_K.squaredNorm() + c.l2.W_Q * p.W_Q.squaredNorm();
  if (c.TrainsValue()) penalty += c.l2.W_V * p.W_V.squaredNorm();
  return penalty;
}

// X += 2 lambda P, skipped when lambda = 0 (the usual case) so that the pass costs nothing.
void AddPenaltyGradient(Matrix& g, double lambda, const Matrix& p) {
  if (lambda != 0.0) g += (2.0 * lambda) * p;
}

}  // namespace

TableGradient TableGradient::Zero(const theory::TransformerParams& p, const ModelConfig& c) {
  TableGradient g;
  if (c.TrainsValue() || c.TrainsEmbedding()) g.values = Matrix::Zero(p.d(), p.n());
  if (c.TrainsAttention()) g.scores = Matrix::Zero(p.n(), p.n());
  if (c.decoder == theory::Decoder::kTied && c.TrainsEmbedding()) g.decoder = Matrix::Zero(p.n(), p.d());
  return g;
}

Evaluation FinishObjective(const theory::TransformerParams& p, const ModelConfig& c, TableGradient& g,
                           ModelGradient* gradient) {
  Evaluation e;
  e.targets = g.targets;
  e.data_loss = g.targets > 0 ? g.loss / double(g.targets) : 0.0;
  e.penalty = Penalty(p, c);
  e.objective = e.data_loss + e.penalty;
  if (!gradient) return e;
  if (g.targets > 0) {
    const double scale = 1.0 / double(g.targets);
    g.values *= scale;
    g.scores *= scale;
    g.decoder *= scale;
  }
  // The chain rule with Eigen's blocked products: the tables are n x n, where a coefficient-wise product
  // costs several times more.
  // A frozen matrix's gradient is empty: filling it with zeros at every step would cost as much as the
  // W^V-only model's backward pass.
  ModelGradient& grad = *gradient;
  if (c.TrainsValue()) {
    if (c.TrainsEmbedding()) {
      grad.W_V.noalias() = g.values * p.E.transpose();
    } else {
      grad.W_V = std::move(g.values);  // one-hot E: V = W^V
    }
    AddPenaltyGradient(grad.W_V, c.l2.W_V, p.W_V);
  } else {
    grad.W_V.resize(0, 0);
  }
  if (c.TrainsEmbedding()) {
    grad.E.noalias() = p.W_V.transpose() * g.values;
    if (c.decoder == theory::Decoder::kTied) grad.E += g.decoder.transpose();
    AddPenaltyGradient(grad.E, c.l2.E, p.E);
  } else {
    grad.E.resize(0, 0);
  }
  if (c.TrainsAttention()) {
    theory::ScoreGradient s = theory::ScoreChainRule(g.scores, p.W_K, p.W_Q, c.TrainsEmbedding() ? &p.E : nullptr);
    grad.W_K = std::move(s.W_K);
    grad.W_Q = std::move(s.W_Q);
    AddPenaltyGradient(grad.W_K, c.l2.W_K, p.W_K);
    AddPenaltyGradient(grad.W_Q, c.l2.W_Q, p.W_Q);
    if (c.TrainsEmbedding()) grad.E += s.E;
  } else {
    grad.W_K.resize(0, 0);
    grad.W_Q.resize(0, 0);
  }
  return e;
}

}  // namespace ldaformer::sim
