#include "ldaformer/theory/squared_loss.hpp"

#include <cmath>

#include <boost/random/normal_distribution.hpp>

#include "ldaformer/theory/rng.hpp"

namespace ldaformer::theory {

LinearPredictor LinearPredictor::Zero(int n) { return LinearPredictor{Matrix::Zero(n, n), Vector::Zero(n)}; }

LinearPredictor LinearPredictor::Identity(int n) { return LinearPredictor{Matrix::Identity(n, n), Vector::Zero(n)}; }

LinearPredictor LinearPredictor::Random(int n, std::uint64_t seed) {
  Rng rng = StreamFor(seed, 0);
  boost::random::normal_distribution<double> normal(0.0, 1.0 / std::sqrt(double(n)));
  LinearPredictor p = Zero(n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) p.M(i, j) = normal(rng);
  for (int i = 0; i < n; ++i) p.b[i] = normal(rng);
  return p;
}

double ExactSquaredLoss(const SecondMoments& mo, const LinearPredictor& p, LinearPredictor* gradient) {
  const Matrix MC = p.M * mo.C;
  const Vector Mx = p.M * mo.xbar_mean;
  const double loss = MC.cwiseProduct(p.M).sum() - 2.0 * p.M.cwiseProduct(mo.A).sum() + 1.0 + 2.0 * p.b.dot(Mx) +
                      p.b.squaredNorm() - 2.0 * p.b.dot(mo.p1);
  if (gradient) {
    gradient->M = 2.0 * (MC - mo.A + p.b * mo.xbar_mean.transpose());
    gradient->b = 2.0 * (Mx + p.b - mo.p1);
  }
  return loss;
}

double ExactSquaredLoss(const StructuredSecondMoments& mo, const LinearPredictor& p, LinearPredictor* gradient) {
  const int v = mo.C.v();
  const Matrix MC = p.M * mo.C;
  const Vector xbar_mean = mo.xbar_mean.Dense(v);
  const Vector p1 = mo.p1.Dense(v);
  const Vector Mx = p.M * xbar_mean;
  const double loss = MC.cwiseProduct(p.M).sum() - 2.0 * FrobeniusInner(p.M, mo.A) + 1.0 + 2.0 * p.b.dot(Mx) +
                      p.b.squaredNorm() - 2.0 * p.b.dot(p1);
  if (gradient) {
    gradient->M = 2.0 * (MC - mo.A.Dense() + p.b * xbar_mean.transpose());
    gradient->b = 2.0 * (Mx + p.b - p1);
  }
  return loss;
}

double ExactSquaredLoss(const StructuredSecondMoments& mo, const BlockLinearPredictor& p,
                        BlockLinearPredictor* gradient) {
  const int v = mo.C.v();
  const int T = mo.C.T;
  const int m = mo.C.m;
  const TopicBlockMatrix MC = p.M * mo.C;
  const TopicBlockVector Mx = p.M * mo.xbar_mean;
  const double loss = FrobeniusInner(MC, p.M) - 2.0 * FrobeniusInner(p.M, mo.A) + 1.0 + 2.0 * Dot(p.b, Mx, v) +
                      Dot(p.b, p.b, v) - 2.0 * Dot(p.b, mo.p1, v);
  if (gradient) {
    gradient->M = CoefficientGradient(2.0 * (MC - mo.A + Outer(p.b, mo.xbar_mean, T, m)));
    gradient->b = CoefficientGradient(2.0 * (Mx + p.b - mo.p1), v);
  }
  return loss;
}

}  // namespace ldaformer::theory
