#include "ldaformer/verify/claim_result.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace ldaformer::verify {

std::string ClaimResult::Status() const {
  if (inconclusive) return hypotheses_met ? "inconclusive (sampling noise)" : "inconclusive (outside hypotheses)";
  if (!std::isfinite(margin)) return hypotheses_met ? "FAILS (not measurable)" : "not applicable";
  if (hypotheses_met) return holds ? "holds" : "FAILS";
  return holds ? "holds (outside hypotheses)" : "fails (outside hypotheses)";
}

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
  std::stable_sort(order.begin(), order.begin() + v,
                   [&](int i, int j) { return topic_of_word[i] < topic_of_word[j]; });
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

nlohmann::json ToJson(const ClaimResult& result) {
  nlohmann::json out;
  out["id"] = result.id;
  out["claim"] = result.claim;
  out["holds"] = result.holds;
  out["expected"] = result.hypotheses_met;
  out["status"] = result.Status();
  out["inconclusive"] = result.inconclusive;
  out["margin"] = std::isfinite(result.margin) ? nlohmann::json(result.margin) : nlohmann::json(nullptr);
  out["method"] = result.method;
  out["hypotheses"] = result.hypotheses;
  out["details"] = result.details;
  return out;
}

}  // namespace ldaformer::verify
