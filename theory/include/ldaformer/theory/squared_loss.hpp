// The exact squared population loss of the uniform-attention linear predictor y = M xbar + b:
//     L(M, b) = tr(M C M^T) - 2 <M, A>_F + 1 + 2 b^T M E[xbar] + |b|^2 - 2 b^T p1,
// and its gradient  dL/dM = 2 (M C - A + b E[xbar]^T),  dL/db = 2 (M E[xbar] + b - p1).
#pragma once

#include <cstdint>

#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// y = M xbar + b over the n tokens (M is n x n, b in R^n). With one-hot embedding, uniform attention
// and the identity decoder, M is W^V.
struct LinearPredictor {
  Matrix M;
  Vector b;

  static LinearPredictor Zero(int n);
  static LinearPredictor Identity(int n);
  // Entries i.i.d. N(0, 1/n), a reproducible function of the seed.
  static LinearPredictor Random(int n, std::uint64_t seed);
};

// The predictor with M and b in the topic-block algebra (a block-parametrised W^V).
struct BlockLinearPredictor {
  TopicBlockMatrix M;
  TopicBlockVector b;
};

// Dense path, O(n^3). If gradient is non-null it receives dL/dM and dL/db.
double ExactSquaredLoss(const SecondMoments& moments, const LinearPredictor& predictor,
                        LinearPredictor* gradient = nullptr);

// Structured moments with a dense predictor, O(n^2) and bandwidth-bound: the loss reads M once and the
// gradient reads it once more and writes dL/dM once, with temporaries of n x (T + s) only (the per-topic
// column sums of M; n x n only when m = 1). If gradient is non-null it receives dL/dM and dL/db, written
// into its own storage when that already has the right size, so a solver loop that passes the same
// gradient every call allocates nothing n x n.
double ExactSquaredLoss(const StructuredSecondMoments& moments, const LinearPredictor& predictor,
                        LinearPredictor* gradient = nullptr);

// Structured moments with a block predictor, O(s^3). The gradient is with respect to the block
// coefficients (a, b, c, f, g, S of M and w, sp of b), not the dense entries.
double ExactSquaredLoss(const StructuredSecondMoments& moments, const BlockLinearPredictor& predictor,
                        BlockLinearPredictor* gradient = nullptr);

}  // namespace ldaformer::theory
