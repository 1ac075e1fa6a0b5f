#include "ldaformer/assumptions/topic_matching.hpp"

#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::assumptions {

std::vector<int> MinimumCostAssignment(const theory::Matrix& cost) {
  const int n = static_cast<int>(cost.rows());
  const int m = static_cast<int>(cost.cols());
  if (n > m) throw std::invalid_argument(fmt::format("assignment: {} rows but only {} columns", n, m));
  if (!cost.allFinite()) throw std::invalid_argument("assignment: every cost must be finite");
  // Shortest augmenting paths with row potentials u and column potentials w (1-based, column 0 is a
  // sentinel): the classic O(n^2 m) formulation.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), w(m + 1, 0.0);
  std::vector<int> row_of(m + 1, 0), way(m + 1, 0);
  for (int i = 1; i <= n; ++i) {
    row_of[0] = i;
    int j0 = 0;
    std::vector<double> min_slack(m + 1, inf);
    std::vector<bool> used(m + 1, false);
    do {
      used[j0] = true;
      const int i0 = row_of[j0];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double slack = cost(i0 - 1, j - 1) - u[i0] - w[j];
        if (slack < min_slack[j]) {
          min_slack[j] = slack;
          way[j] = j0;
        }
        if (min_slack[j] < delta) {
          delta = min_slack[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[row_of[j]] += delta;
          w[j] -= delta;
        } else {
          min_slack[j] -= delta;
        }
      }
      j0 = j1;
    } while (row_of[j0] != 0);
    do {
      const int j1 = way[j0];
      row_of[j0] = row_of[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> column(n, -1);
  for (int j = 1; j <= m; ++j) {
    if (row_of[j] != 0) column[row_of[j] - 1] = j - 1;
  }
  return column;
}

TopicMatching MatchTopics(const theory::Matrix& truth, const theory::Matrix& fitted) {
  if (truth.cols() != fitted.cols()) {
    throw std::invalid_argument(
        fmt::format("topic matching: the true topics have {} words, the fitted ones {}", truth.cols(), fitted.cols()));
  }
  if (fitted.rows() < truth.rows()) {
    throw std::invalid_argument(
        fmt::format("topic matching: {} fitted topics cannot match {} true topics", fitted.rows(), truth.rows()));
  }
  const Eigen::Index K = truth.rows();
  theory::Matrix l1(K, fitted.rows());
  for (Eigen::Index t = 0; t < K; ++t) {
    for (Eigen::Index f = 0; f < fitted.rows(); ++f) l1(t, f) = (truth.row(t) - fitted.row(f)).lpNorm<1>();
  }
  TopicMatching matching;
  matching.fitted_of_true = MinimumCostAssignment(l1);
  for (Eigen::Index t = 0; t < K; ++t) {
    const double tv = 0.5 * l1(t, matching.fitted_of_true[t]);
    matching.mean_total_variation += tv / K;
    matching.max_total_variation = std::max(matching.max_total_variation, tv);
  }
  const theory::Vector word_mass = truth.colwise().mean().transpose();
  for (Eigen::Index w = 0; w < truth.cols(); ++w) {
    Eigen::Index true_top = 0, fitted_top = 0;
    truth.col(w).maxCoeff(&true_top);
    fitted.col(w).maxCoeff(&fitted_top);
    if (matching.fitted_of_true[true_top] == fitted_top) matching.word_accuracy += word_mass[w];
  }
  matching.word_accuracy /= word_mass.sum();
  return matching;
}

}  // namespace ldaformer::assumptions
