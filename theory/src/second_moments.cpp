#include "ldaformer/theory/second_moments.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/key_count.hpp"

namespace ldaformer::theory {

namespace {

// The two algebras the moment formulas are written over: dense Eigen, and the topic-block algebra.
struct DenseAlgebra {
  using Mat = Matrix;
  using Vec = Vector;
  Mat Outer(const Vec& u, const Vec& w) const { return u * w.transpose(); }
  Mat Diag(const Vec& u) const { return u.asDiagonal(); }
};

struct BlockAlgebra {
  using Mat = TopicBlockMatrix;
  using Vec = TopicBlockVector;
  int T, m;
  Mat Outer(const Vec& u, const Vec& w) const { return theory::Outer(u, w, T, m); }
  Mat Diag(const Vec& u) const { return theory::Diag(u, T, m); }
};

// The distribution of one word and of a pair of words at distinct positions, and the noise vectors.
template <class Algebra>
struct WordStatistics {
  typename Algebra::Vec p1;      // E[e_w]
  typename Algebra::Mat P2;      // E[e_w e_w'^T], two distinct positions
  typename Algebra::Vec r;       // the law of a random replacement
  typename Algebra::Vec e_mask;  // the MASK token
};

// docs/THEORY.md in code: per-position moments through a Channel, then weighted by KeyAverageWeights.
template <class Algebra>
Moments<typename Algebra::Mat, typename Algebra::Vec> Assemble(const Algebra& alg, const WordStatistics<Algebra>& ws,
                                                               const Masking& masking, const KeyAverageWeights& wt) {
  using Mat = typename Algebra::Mat;
  using Vec = typename Algebra::Vec;
  const Mat D = alg.Diag(ws.p1);
  // With unselected keys every key shows its true word, and the target is not a key.
  const Channel target = TargetChannel(masking);
  const Channel other = masking.keys == KeySet::kAllPositions ? OtherChannel(masking) : Channel{};

  // E[x] - (word share) p1: what a position shows when it does not show its word.
  auto noise = [&](const Channel& ch) -> Vec { return ch.random * ws.r + ch.mask * ws.e_mask; };
  auto mean = [&](const Channel& ch) -> Vec { return ch.word * ws.p1 + noise(ch); };
  // E[e_w x_t^T] for the target's own input, and E[e_w x_j^T] for another position j.
  auto target_self = [&](const Channel& ch) -> Mat { return ch.word * D + alg.Outer(ws.p1, noise(ch)); };
  auto target_other = [&](const Channel& ch) -> Mat { return ch.word * ws.P2 + alg.Outer(ws.p1, noise(ch)); };
  // E[x_j x_j^T] (one-hot, so diagonal), and E[x_i x_j^T] for distinct positions.
  auto self = [&](const Channel& ch) -> Mat { return ch.word * D + alg.Diag(noise(ch)); };
  auto cross = [&](const Channel& ci, const Channel& cj) -> Mat {
    return (ci.word * cj.word) * ws.P2 + ci.word * alg.Outer(ws.p1, noise(cj)) + cj.word * alg.Outer(noise(ci), ws.p1) +
           alg.Outer(noise(ci), noise(cj));
  };

  Moments<Mat, Vec> out;
  out.A = wt.a_target * target_self(target) + wt.a_other * target_other(other);
  out.C = wt.c_target * self(target) + wt.c_target_other * (cross(target, other) + cross(other, target)) +
          wt.c_other_self * self(other) + wt.c_other_pair * cross(other, other);
  out.xbar_mean = wt.a_target * mean(target) + wt.a_other * mean(other);
  out.p1 = ws.p1;
  return out;
}

}  // namespace

KeyAverageWeights ComputeKeyAverageWeights(const LengthDistribution& length, const Masking& masking) {
  KeyAverageWeights w;
  if (masking.keys == KeySet::kAllPositions) {
    if (length.IsInfinite()) {
      w.a_other = 1.0;
      w.c_other_pair = 1.0;
      return w;
    }
    w.a_target = length.SizeBiasedExpectation([](int N) { return 1.0 / N; });
    w.a_other = length.SizeBiasedExpectation([](int N) { return (N - 1.0) / N; });
    w.c_target = length.SizeBiasedExpectation([](int N) { return 1.0 / (double(N) * N); });
    w.c_target_other = length.SizeBiasedExpectation([](int N) { return (N - 1.0) / (double(N) * N); });
    w.c_other_self = w.c_target_other;
    w.c_other_pair = length.SizeBiasedExpectation([](int N) { return (N - 1.0) * (N - 2.0) / (double(N) * N); });
    return w;
  }
  // Unselected keys: K ~ Bin(N - 1, 1 - p_m) other positions, each showing its true word.
  const double keep = 1.0 - masking.p_m;
  if (length.IsInfinite()) {
    if (keep > 0.0) {
      w.a_other = 1.0;
      w.c_other_pair = 1.0;
    }
    return w;
  }
  // P(K >= 1) and E[1/K; K >= 1] in closed form or by quadrature (key_count.hpp), not by summing the
  // binomial over every k: lengths up to 10^6 cost no more than short ones.
  std::vector<int> Ms(length.values.size());
  for (size_t i = 0; i < Ms.size(); ++i) Ms[i] = length.values[i] - 1;
  const std::vector<double> inverse = InverseKeyCountMoments(Ms, keep);
  auto inverse_at = [&](int N) {
    return inverse[std::lower_bound(length.values.begin(), length.values.end(), N) - length.values.begin()];
  };
  w.a_other = length.SizeBiasedExpectation([&](int N) { return KeyPresentProbability(N - 1, keep); });
  w.c_other_self = length.SizeBiasedExpectation(inverse_at);
  w.c_other_pair =
      length.SizeBiasedExpectation([&](int N) { return KeyPresentProbability(N - 1, keep) - inverse_at(N); });
  return w;
}

SecondMoments ExactSecondMoments(const Scenario& scenario) {
  const Matrix& beta = scenario.topics.beta;
  return ExactSecondMoments(beta.transpose() * scenario.prior.Mean(),
                            beta.transpose() * scenario.prior.SecondMoment() * beta, scenario.tokens(), scenario.length,
                            scenario.masking);
}

SecondMoments ExactSecondMoments(const Vector& p1, const Matrix& P2, const TokenSpace& tokens,
                                 const LengthDistribution& length, const Masking& masking) {
  const int v = tokens.v;
  const int n = tokens.n();
  if (p1.size() != v || P2.rows() != v || P2.cols() != v) {
    throw std::invalid_argument(fmt::format("second moments: p1 has {} entries and P2 is {} x {}, expected v={}",
                                            p1.size(), P2.rows(), P2.cols(), v));
  }
  WordStatistics<DenseAlgebra> ws;
  ws.p1 = Vector::Zero(n);
  ws.p1.head(v) = p1;
  ws.P2 = Matrix::Zero(n, n);
  ws.P2.topLeftCorner(v, v) = P2;
  ws.r = Vector::Zero(n);
  if (masking.replacement == ReplacementAlphabet::kWords) {
    ws.r.head(v).setConstant(1.0 / v);
  } else {
    ws.r.setConstant(1.0 / n);
  }
  ws.e_mask = Vector::Unit(n, tokens.mask());
  return Assemble(DenseAlgebra{}, ws, masking, ComputeKeyAverageWeights(length, masking));
}

StructuredSecondMoments ExactStructuredSecondMoments(const Scenario& scenario) {
  if (!scenario.HasTopicBlockStructure()) {
    throw std::invalid_argument(
        fmt::format("scenario '{}': the structured path needs A1 topics and an exchangeable prior", scenario.name));
  }
  const int T = scenario.topics.T;
  const int m = scenario.topics.m();
  const int v = scenario.topics.v;
  const int s = scenario.num_special;
  const BlockAlgebra alg{T, m};
  const Matrix theta2 = scenario.prior.SecondMoment();
  const double s2 = theta2(0, 0);                 // E[theta_t^2]
  const double s11 = T > 1 ? theta2(0, 1) : 0.0;  // E[theta_t theta_u], t != u

  WordStatistics<BlockAlgebra> ws;
  ws.p1 = TopicBlockVector{1.0 / v, Vector::Zero(s)};
  // P2(w, w') = E[theta_t(w) theta_t(w')] / m^2.
  ws.P2 = TopicBlockMatrix::Zero(T, m, s);
  ws.P2.b = (s2 - s11) / (double(m) * m);
  ws.P2.c = s11 / (double(m) * m);
  if (scenario.masking.replacement == ReplacementAlphabet::kWords) {
    ws.r = TopicBlockVector{1.0 / v, Vector::Zero(s)};
  } else {
    ws.r = TopicBlockVector{1.0 / (v + s), Vector::Constant(s, 1.0 / (v + s))};
  }
  ws.e_mask = TopicBlockVector{0.0, Vector::Unit(s, 0)};
  return Assemble(alg, ws, scenario.masking, ComputeKeyAverageWeights(scenario.length, scenario.masking));
}

}  // namespace ldaformer::theory
