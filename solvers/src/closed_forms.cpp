#include "ldaformer/solvers/closed_forms.hpp"

#include <stdexcept>
#include <string>

namespace ldaformer::solvers {

using theory::Matrix;

namespace {

void RequireNonNegative(double lambda) {
  if (!(lambda >= 0.0)) throw std::invalid_argument("lambda must be >= 0, got " + std::to_string(lambda));
}

}  // namespace

Eigen::LLT<Matrix> RegularisedCholesky(const theory::SecondMoments& moments, double lambda) {
  RequireNonNegative(lambda);
  Matrix regularised = moments.C;
  regularised.diagonal().array() += lambda;
  Eigen::LLT<Matrix> llt(regularised);
  if (llt.info() != Eigen::Success) {
    throw std::domain_error("C + lambda I is not positive definite (lambda = " + std::to_string(lambda) +
                            "); use lambda > 0");
  }
  return llt;
}

Matrix OptimalValueMatrix(const theory::SecondMoments& moments, double lambda) {
  // M (C + lambda I) = A  <=>  (C + lambda I) M^T = A^T, C symmetric.
  return RegularisedCholesky(moments, lambda).solve(moments.A.transpose()).transpose();
}

theory::TopicBlockMatrix OptimalValueMatrix(const theory::StructuredSecondMoments& moments, double lambda) {
  RequireNonNegative(lambda);
  theory::TopicBlockMatrix regularised = moments.C;
  regularised.a += lambda;
  regularised.S.diagonal().array() += lambda;
  return moments.A * theory::Inverse(regularised);
}

Matrix OptimalIdentityDecoderEmbedding(const theory::SecondMoments& moments, double lambda) {
  return OptimalValueMatrix(moments, lambda);
}

}  // namespace ldaformer::solvers
