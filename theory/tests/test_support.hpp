// Shared fixtures for the theory tests: a grid of scenarios, random model parameters and statistical comparisons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>

#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory::testing {

// A scenario from its parts; validates.
inline Scenario MakeScenario(std::string name, TopicModel topics, DocumentPrior prior, LengthDistribution length,
                             Masking masking = {}, int num_special = 1) {
  Scenario s;
  s.name = std::move(name);
  s.topics = std::move(topics);
  s.prior = std::move(prior);
  s.length = std::move(length);
  s.masking = masking;
  s.num_special = num_special;
  s.Validate();
  return s;
}

inline Masking MakeMasking(double p_m, double p_c, double p_r, KeySet keys = KeySet::kAllPositions,
                           ReplacementAlphabet replacement = ReplacementAlphabet::kWords) {
  Masking m;
  m.p_m = p_m;
  m.p_c = p_c;
  m.p_r = p_r;
  m.keys = keys;
  m.replacement = replacement;
  return m;
}

// A general beta with unequal, overlapping topics (T = 3, v = 7), for scenarios without A1.
inline TopicModel OverlappingTopics() {
  Matrix beta(3, 7);
  beta << 0.4, 0.3, 0.2, 0.1, 0.0, 0.0, 0.0,  //
      0.0, 0.1, 0.0, 0.5, 0.2, 0.2, 0.0,      //
      0.05, 0.0, 0.0, 0.05, 0.0, 0.3, 0.6;
  return TopicModel::FromBeta(beta);
}

// The grid of finite-N scenarios the exact moments are checked on: T, m; alpha from 0.05 to 10;
// N fixed (1, 2, 5) and uniform; p_m, p_c, p_r at their 0 and 1 edges; both key sets; both
// replacement alphabets; asymmetric, uniform-subset and general priors and topics.
inline std::vector<Scenario> ExactnessGrid() {
  using K = KeySet;
  using R = ReplacementAlphabet;
  const auto A1 = TopicModel::DisjointUniform;
  const auto Dir = DocumentPrior::SymmetricDirichlet;
  const auto Fixed = LengthDistribution::Fixed;
  const auto Unif = LengthDistribution::Uniform;
  Vector asym(3);
  asym << 0.2, 1.0, 3.0;
  return {
      MakeScenario("N1-alpha0.05", A1(2, 6), Dir(2, 0.05), Fixed(1), MakeMasking(0.15, 0.1, 0.1)),
      MakeScenario("N2-alpha10", A1(2, 6), Dir(2, 10.0), Fixed(2), MakeMasking(0.15, 0.1, 0.1)),
      MakeScenario("p_m=0", A1(3, 6), Dir(3, 0.1), Unif(1, 6), MakeMasking(0.0, 0.1, 0.1)),
      MakeScenario("p_m=1", A1(3, 6), Dir(3, 0.1), Unif(1, 6), MakeMasking(1.0, 0.1, 0.1)),
      MakeScenario("all-mask", A1(3, 6), Dir(3, 1.0), Fixed(5), MakeMasking(0.5, 0.0, 0.0)),
      MakeScenario("p_c=1", A1(3, 6), Dir(3, 1.0), Fixed(5), MakeMasking(0.5, 1.0, 0.0)),
      MakeScenario("p_r=1", A1(3, 6), Dir(3, 1.0), Fixed(5), MakeMasking(0.5, 0.0, 1.0)),
      MakeScenario("unselected-N1", A1(2, 4), Dir(2, 0.5), Fixed(1), MakeMasking(0.3, 0.1, 0.1, K::kUnselectedOnly)),
      MakeScenario("unselected", A1(3, 6), Dir(3, 0.1), Unif(2, 8), MakeMasking(0.5, 0.1, 0.1, K::kUnselectedOnly)),
      MakeScenario("unselected-p_m=1", A1(2, 4), Dir(2, 0.5), Unif(1, 4),
                   MakeMasking(1.0, 0.1, 0.1, K::kUnselectedOnly)),
      MakeScenario("all-tokens", A1(2, 6), Dir(2, 0.5), Unif(3, 7),
                   MakeMasking(0.4, 0.2, 0.5, K::kAllPositions, R::kAllTokens), 3),
      MakeScenario("asymmetric-dirichlet", A1(3, 6), DocumentPrior::Dirichlet(asym), Unif(2, 9),
                   MakeMasking(0.3, 0.1, 0.2)),
      MakeScenario("uniform-2-of-4", A1(4, 8), DocumentPrior::UniformSubset(4, 2), Fixed(6),
                   MakeMasking(0.3, 0.1, 0.1)),
      MakeScenario("overlapping-beta", OverlappingTopics(), Dir(3, 0.3), Unif(2, 10), MakeMasking(0.25, 0.1, 0.1)),
      MakeScenario("overlapping-unselected", OverlappingTopics(), DocumentPrior::Dirichlet(asym), Fixed(4),
                   MakeMasking(0.4, 0.2, 0.2, K::kUnselectedOnly, R::kAllTokens), 2),
      MakeScenario("pmf-lengths", A1(2, 6), Dir(2, 0.3), LengthDistribution::Pmf({1, 3, 10}, {0.2, 0.3, 0.5}),
                   MakeMasking(0.2, 0.1, 0.1)),
      MakeScenario("paper-lengths", A1(4, 12), Dir(4, 0.1), Unif(100, 150), MakeMasking(0.15, 0.1, 0.1)),
      MakeScenario("one-topic", A1(1, 5), Dir(1, 1.0), Fixed(4), MakeMasking(0.3, 0.2, 0.2)),
      MakeScenario("one-word-topics", A1(5, 5), Dir(5, 0.2), Unif(2, 5), MakeMasking(0.3, 0.2, 0.2)),
      MakeScenario("unselected-all-tokens-pmf", A1(3, 6), Dir(3, 2.0), LengthDistribution::Pmf({2, 5}, {0.5, 0.5}),
                   MakeMasking(0.35, 0.1, 0.3, K::kUnselectedOnly, R::kAllTokens), 2),
      MakeScenario("heavy-masking", A1(2, 6), Dir(2, 10.0), Unif(2, 4), MakeMasking(0.5, 0.3, 0.3), 2),
      MakeScenario("uniform-1-of-3-all-tokens", A1(3, 6), DocumentPrior::UniformSubset(3, 1), Unif(1, 3),
                   MakeMasking(0.6, 0.2, 0.3, K::kAllPositions, R::kAllTokens), 2),
  };
}

// A rows x cols matrix with i.i.d. N(0, scale^2) entries, a reproducible function of the seed.
inline Matrix RandomMatrix(int rows, int cols, double scale, std::uint64_t seed) {
  Rng rng = StreamFor(seed, 99);
  boost::random::normal_distribution<double> normal(0.0, scale);
  Matrix X(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) X(i, j) = normal(rng);
  return X;
}

// Full-model parameters with random matrices (n tokens, width d, key width d_k); d = n for the identity
// decoder.
inline TransformerParams RandomParams(int n, int d, int d_k, Decoder decoder, std::uint64_t seed) {
  TransformerParams p;
  p.E = RandomMatrix(d, n, 1.0, seed);
  p.W_K = RandomMatrix(d_k, d, 1.0, seed + 1);
  p.W_Q = RandomMatrix(d_k, d, 1.0, seed + 2);
  p.W_V = RandomMatrix(d, d, 0.5, seed + 3);
  p.decoder = decoder;
  p.Validate();
  return p;
}

// The largest |z| a family of `count` independent normal comparisons may show with family-wise
// probability `alpha` of a false alarm (Bonferroni). For count = 1 and alpha = 6.3e-5 this is 4.
inline double BonferroniZ(double count, double alpha = 1e-4) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / (2.0 * count)));
}

// Compares an exact matrix with a Monte Carlo estimate entry by entry. Entries whose standard error is
// 0 (the quantity is constant across documents) must agree to rounding. Returns the largest |z|.
struct ZReport {
  double max_z = 0.0;
  double max_constant_gap = 0.0;  // largest |exact - mc| where the standard error is 0
  Eigen::Index entries = 0;
};

inline ZReport CompareWithinErrors(const Matrix& exact, const Matrix& mc, const Matrix& se) {
  ZReport r;
  r.entries = exact.size();
  for (Eigen::Index i = 0; i < exact.size(); ++i) {
    const double gap = std::abs(exact.data()[i] - mc.data()[i]);
    if (se.data()[i] > 1e-14) {
      r.max_z = std::max(r.max_z, gap / se.data()[i]);
    } else {
      r.max_constant_gap = std::max(r.max_constant_gap, gap);
    }
  }
  return r;
}

// max |x - y| / max(max |y|, tiny): relative agreement of two matrices.
inline double RelativeMaxError(const Matrix& x, const Matrix& y) {
  const double scale = std::max(y.cwiseAbs().maxCoeff(), 1e-300);
  return (x - y).cwiseAbs().maxCoeff() / scale;
}

}  // namespace ldaformer::theory::testing
