// A weighted sum of selected columns of a matrix, sum_i w_i X.col(c_i): the attention output over distinct key
// tokens (u = sum_a alpha_a V_a) and the scatter of per-document derivatives back to token columns.
#pragma once

#include <Eigen/Core>

#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// out = sum_{i < count} weights[i] X.col(columns[i]). The sum is taken over one block of rows at a time, held
// in registers across all the columns, so `out` is written once: adding whole columns into `out` would read
// and write it once per column, and that store-and-reload was the cost of the training and Monte Carlo
// kernels. The order of the additions is fixed (i ascending for every row): the result does not depend on
// the caller's threads.
void CombineColumns(const Matrix& X, const int* columns, const double* weights, Eigen::Index count,
                    Eigen::Ref<Vector> out);

}  // namespace ldaformer::theory
