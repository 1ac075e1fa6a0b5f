// Closed-form optima of the squared population loss with one-hot embedding and uniform attention.
//
// With y = M xbar the loss is L(M) = tr(M C M^T) - 2 <M, A>_F + 1 (theory/squared_loss.hpp). Adding the
// penalty lambda ||M||_F^2 and setting the gradient 2 (M (C + lambda I) - A) to zero gives
//     M* = A (C + lambda I)^-1,
// which is the T2 optimum W^V* (M = W^V) and, with lambda = 0, the T1 optimum for the identity decoder
// (M = E, y = E xbar). docs/THEOREMS.md has the derivation.
#pragma once

#include <Eigen/Cholesky>

#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// The Cholesky factorisation of C + lambda I, shared by every dense route to the T2 optimum. Throws
// std::invalid_argument unless lambda >= 0, std::domain_error when C + lambda I is not positive definite.
Eigen::LLT<theory::Matrix> RegularisedCholesky(const theory::SecondMoments& moments, double lambda);

// W* = A (C + lambda I)^-1 on the dense moments, by a Cholesky factorisation of C + lambda I.
// lambda >= 0; throws std::domain_error when C + lambda I is not positive definite (C is singular at
// N -> infinity: then lambda must be > 0).
theory::Matrix OptimalValueMatrix(const theory::SecondMoments& moments, double lambda);

// The same in the topic-block algebra, O(s^3): the optimum of an A1 scenario is itself block-wise.
theory::TopicBlockMatrix OptimalValueMatrix(const theory::StructuredSecondMoments& moments, double lambda);

// The T1 optimum for the identity decoder, y = E xbar with E n x n: E* = A (C + lambda I)^-1 (lambda = 0 is
// the unregularised problem; it needs C positive definite, which holds at finite N with p_c < 1 or MASK).
theory::Matrix OptimalIdentityDecoderEmbedding(const theory::SecondMoments& moments, double lambda = 0.0);

}  // namespace ldaformer::solvers
