#include "ldaformer/claims/figures.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace ldaformer::claims {

ReportPlot ReportPlot::LogLog(std::string name, std::string title, std::string x_label, std::string y_label) {
  ReportPlot plot;
  plot.name = std::move(name);
  plot.options.title = std::move(title);
  plot.options.x_label = std::move(x_label);
  plot.options.y_label = std::move(y_label);
  plot.options.log_x = plot.options.log_y = true;
  return plot;
}

ReportMatrix TopicOrdered(std::string name, std::string title, const theory::Matrix& X,
                          const std::vector<int>& topic_of_word) {
  const int v = static_cast<int>(topic_of_word.size());
  std::vector<int> order(X.rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.begin() + v, [&](int i, int j) { return topic_of_word[i] < topic_of_word[j]; });
  const Eigen::Index cols = X.cols() == X.rows() ? X.cols() : 0;
  theory::Matrix ordered(X.rows(), X.cols());
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) ordered(i, j) = X(order[i], j < cols ? order[j] : j);
  }
  std::vector<int> sizes(*std::max_element(topic_of_word.begin(), topic_of_word.end()) + 1, 0);
  for (const int t : topic_of_word) ++sizes[t];
  const bool equal = std::all_of(sizes.begin(), sizes.end(), [&](int s) { return s == sizes[0]; });
  return ReportMatrix{std::move(name), std::move(title), std::move(ordered), equal ? sizes[0] : 0};
}

}  // namespace ldaformer::claims
