// A linear predictor y = M xbar + b given from Python, checked against the scenario's token count.
#pragma once

#include <optional>
#include <string>

#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::python {

// M (n x n) and b (n; None: 0). Throws std::invalid_argument naming the argument and the shapes.
theory::LinearPredictor PredictorArgument(const theory::Matrix& M, const std::optional<theory::Vector>& b, int n);

}  // namespace ldaformer::python
