#include "ldaformer/theory/gaussian_matrix.hpp"

#include <boost/random/normal_distribution.hpp>

namespace ldaformer::theory {

Matrix GaussianMatrix(int rows, int cols, double sd, Rng& rng) {
  boost::random::normal_distribution<double> normal(0.0, sd);
  Matrix X(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) X(i, j) = normal(rng);
  return X;
}

}  // namespace ldaformer::theory
