// The scenarios and parameters the benchmark programs share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/random/normal_distribution.hpp>

#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::bench {

// The vocabulary sizes of the exact-loss and moment benchmarks (the v in {100, 1000, 4000}).
inline const std::vector<int64_t> kVocabularies = {100, 1000, 4000};

// The paper's synthetic scenario with v words instead of 100: A1 topics with T = 10, symmetric
// Dirichlet(0.1), N uniform on 100..150, default masking (0.15 / 0.1 / 0.1, all positions as keys,
// replacements from the words), one special token (MASK). v must be a multiple of 10.
inline theory::Scenario A1Scenario(int v) {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = "paper-synthetic-v" + std::to_string(v);
  s.topics = theory::TopicModel::DisjointUniform(10, v);
  s.Validate();
  return s;
}

// The paper's scenario with every document of length exactly N.
inline theory::Scenario FixedLengthScenario(int N) {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = "paper-synthetic-N" + std::to_string(N);
  s.length = theory::LengthDistribution::Fixed(N);
  s.Validate();
  return s;
}

// A rows x cols matrix with i.i.d. N(0, scale^2) entries, a reproducible function of (seed, stream).
inline theory::Matrix RandomMatrix(int rows, int cols, double scale, std::uint64_t seed, std::uint64_t stream) {
  theory::Rng rng = theory::StreamFor(seed, stream);
  boost::random::normal_distribution<double> normal(0.0, scale);
  theory::Matrix X(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) X(i, j) = normal(rng);
  return X;
}

// A full one-layer model with d = n and identity decoder, every matrix random and small
// (entries N(0, 0.1^2)): softmax attention is then close to, but not exactly, uniform.
inline theory::TransformerParams RandomSmallParams(int n, int d_k, std::uint64_t seed) {
  constexpr double kScale = 0.1;
  theory::TransformerParams p;
  p.E = RandomMatrix(n, n, kScale, seed, 0);
  p.W_K = RandomMatrix(d_k, n, kScale, seed, 1);
  p.W_Q = RandomMatrix(d_k, n, kScale, seed, 2);
  p.W_V = RandomMatrix(n, n, kScale, seed, 3);
  p.decoder = theory::Decoder::kIdentity;
  p.Validate();
  return p;
}

}  // namespace ldaformer::bench
