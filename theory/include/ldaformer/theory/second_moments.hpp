// Exact second moments of the uniform-attention average xbar at a selected (target) position.
//
// With uniform attention over the key set, the prediction at a target position is y = M xbar + b,
// xbar the mean of the one-hot key inputs, and the squared population loss only needs
//     A = E[e_w xbar^T],  C = E[xbar xbar^T],  E[xbar],  p1 = E[e_w],
// with w the target's true word and the expectation per selected token (size-biased N).
// docs/THEORY.md derives them; tests check them against Monte Carlo.
#pragma once

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/topic_block_matrix.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

template <class MatrixT, class VectorT>
struct Moments {
  MatrixT A;          // E[e_w xbar^T]
  MatrixT C;          // E[xbar xbar^T]
  VectorT xbar_mean;  // E[xbar]
  VectorT p1;         // E[e_w]
};

using SecondMoments = Moments<Matrix, Vector>;
using StructuredSecondMoments = Moments<TopicBlockMatrix, TopicBlockVector>;

// Dense n x n moments for any valid scenario whose prior has exact moments. O(T v^2 + v^3) at most.
SecondMoments ExactSecondMoments(const Scenario& scenario);

// The same from the word laws directly: p1 = E[e_w] (v entries) and P2 = E[e_w e_w'^T] for two distinct
// positions (v x v), for data whose pair law is not beta^T E[theta theta^T] beta, such as a corpus' own
// within-document pairs. The length law must be independent of the words. Throws std::invalid_argument
// when the shapes do not match tokens.v.
SecondMoments ExactSecondMoments(const Vector& p1, const Matrix& P2, const TokenSpace& tokens,
                                 const LengthDistribution& length, const Masking& masking);

// The same in the topic-block algebra, O(s^3). Requires scenario.HasTopicBlockStructure();
// throws std::invalid_argument otherwise.
StructuredSecondMoments ExactStructuredSecondMoments(const Scenario& scenario);

// The scalar weights that turn per-position moments into moments of xbar. With all positions as keys
// and N tokens, the target enters xbar with weight 1/N and each of the N-1 others with 1/N; with only
// unselected keys, K ~ Bin(N-1, 1-p_m) others enter with weight 1/K (and xbar = 0 when K = 0).
struct KeyAverageWeights {
  double a_target = 0.0;        // weight of E[e_w x_target^T] in A (and of E[x_target] in E[xbar])
  double a_other = 0.0;         // weight of E[e_w x_j^T], j another key
  double c_target = 0.0;        // weight of E[x_target x_target^T] in C
  double c_target_other = 0.0;  // weight of E[x_target x_j^T] + E[x_j x_target^T]
  double c_other_self = 0.0;    // weight of E[x_j x_j^T]
  double c_other_pair = 0.0;    // weight of E[x_j x_l^T], j != l
};

// The weights for a scenario's length law and key set, as size-biased expectations over N.
KeyAverageWeights ComputeKeyAverageWeights(const LengthDistribution& length, const Masking& masking);

}  // namespace ldaformer::theory
