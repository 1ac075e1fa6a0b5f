#include "ldaformer/theory/column_combination.hpp"

namespace ldaformer::theory {

namespace {

// Rows per block: 16 doubles are four AVX registers (eight SSE2 ones), few enough to stay in registers.
constexpr Eigen::Index kRows = 16;
using Block = Eigen::Matrix<double, kRows, 1>;

}  // namespace

void CombineColumns(const Matrix& X, const int* columns, const double* weights, Eigen::Index count,
                    Eigen::Ref<Vector> out) {
  const Eigen::Index rows = X.rows();
  Eigen::Index r = 0;
  for (; r + kRows <= rows; r += kRows) {
    Block sum = Block::Zero();
    for (Eigen::Index i = 0; i < count; ++i) sum += weights[i] * X.col(columns[i]).segment<kRows>(r);
    out.segment<kRows>(r) = sum;
  }
  const Eigen::Index rest = rows - r;
  if (rest == 0) return;
  auto tail = out.tail(rest);
  tail.setZero();
  for (Eigen::Index i = 0; i < count; ++i) tail += weights[i] * X.col(columns[i]).tail(rest);
}

}  // namespace ldaformer::theory
