// A matrix of i.i.d. N(0, sd^2) entries drawn from one stream, column by column.
#pragma once

#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

Matrix GaussianMatrix(int rows, int cols, double sd, Rng& rng);

}  // namespace ldaformer::theory
