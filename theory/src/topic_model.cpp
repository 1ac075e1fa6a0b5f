#include "ldaformer/theory/topic_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory {

TopicModel TopicModel::DisjointUniform(int T, int v) {
  if (T < 1) throw std::invalid_argument(fmt::format("topics.T must be >= 1, got T={}", T));
  if (v < 1) throw std::invalid_argument(fmt::format("topics.v must be >= 1, got v={}", v));
  if (v % T != 0) {
    throw std::invalid_argument(fmt::format("topics: A1 needs T to divide v, got T={} and v={}", T, v));
  }
  TopicModel model;
  model.T = T;
  model.v = v;
  model.disjoint_uniform = true;
  const int m = v / T;
  model.beta = Matrix::Zero(T, v);
  for (int t = 0; t < T; ++t) model.beta.block(t, t * m, 1, m).setConstant(1.0 / m);
  return model;
}

TopicModel TopicModel::FromBeta(const Matrix& beta) {
  if (beta.rows() < 1 || beta.cols() < 1) {
    throw std::invalid_argument(fmt::format("topics.beta must be non-empty, got {}x{}", beta.rows(), beta.cols()));
  }
  for (Eigen::Index t = 0; t < beta.rows(); ++t) {
    for (Eigen::Index w = 0; w < beta.cols(); ++w) {
      const double x = beta(t, w);
      if (!std::isfinite(x) || x < 0.0) {
        throw std::invalid_argument(fmt::format("topics.beta[{}][{}] must be finite and >= 0, got {}", t, w, x));
      }
    }
  }
  TopicModel model;
  model.T = static_cast<int>(beta.rows());
  model.v = static_cast<int>(beta.cols());
  model.beta = beta;
  const double tolerance = kBetaRowSumTolerance * double(model.v);
  for (int t = 0; t < model.T; ++t) {
    const double row = beta.row(t).sum();
    const double deviation = std::abs(row - 1.0);
    if (deviation > tolerance) {
      throw std::invalid_argument(fmt::format("topics.beta row {} must sum to 1 (within v * {} = {:g}), got {:.17g}", t,
                                              kBetaRowSumTolerance, tolerance, row));
    }
    if (deviation > 1e-9) {
      model.beta.row(t) /= row;
      model.renormalised_deviation = std::max(model.renormalised_deviation, deviation);
    }
  }
  if (model.v % model.T == 0) {
    // Compared after renormalisation: a 6-decimal A1 (0.333333) is A1 once its rows are divided by their sums.
    const TopicModel a1 = DisjointUniform(model.T, model.v);
    model.disjoint_uniform = (model.beta - a1.beta).cwiseAbs().maxCoeff() <= 1e-12;
  }
  return model;
}

}  // namespace ldaformer::theory
