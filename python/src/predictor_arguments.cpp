#include "predictor_arguments.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::python {

theory::LinearPredictor PredictorArgument(const theory::Matrix& M, const std::optional<theory::Vector>& b, int n) {
  if (M.rows() != n || M.cols() != n) {
    throw std::invalid_argument(fmt::format("M must be n x n = {} x {}, got {} x {}", n, n, M.rows(), M.cols()));
  }
  if (b && b->size() != n) throw std::invalid_argument(fmt::format("b must have n = {} entries, got {}", n, b->size()));
  if (!M.allFinite() || (b && !b->allFinite())) throw std::invalid_argument("M and b must be finite");
  return {M, b ? *b : theory::Vector::Zero(n)};
}

}  // namespace ldaformer::python
