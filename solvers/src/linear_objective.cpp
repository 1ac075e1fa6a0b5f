#include "ldaformer/solvers/linear_objective.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::solvers {

using theory::Matrix;
using theory::Vector;

namespace {

template <class MomentsT>
class ExactSquared final : public LinearObjective {
 public:
  ExactSquared(MomentsT moments, int n) : moments_(std::move(moments)), n_(n) {}
  int n() const override { return n_; }
  double Evaluate(const Matrix& M, Matrix* gradient) const override {
    const theory::LinearPredictor predictor{M, Vector::Zero(n_)};
    theory::LinearPredictor grad;
    const double loss = theory::ExactSquaredLoss(moments_, predictor, gradient ? &grad : nullptr);
    if (gradient) *gradient = std::move(grad.M);
    return loss;
  }

 private:
  MomentsT moments_;
  int n_;
};

// One document of the sample: its key average xbar (sparse) and how often each word is a target.
struct SampledDocument {
  std::vector<std::pair<int, double>> xbar;     // (token, weight), empty when no position is a key
  std::vector<std::pair<int, double>> targets;  // (word, count) over the selected positions
};

class SampleAverage final : public LinearObjective {
 public:
  SampleAverage(std::vector<SampledDocument> documents, double total_targets, int n, theory::LossKind loss)
      : documents_(std::move(documents)), total_targets_(total_targets), n_(n), loss_(loss) {}
  int n() const override { return n_; }

  double Evaluate(const Matrix& M, Matrix* gradient) const override {
    if (gradient) gradient->setZero(n_, n_);
    double total = 0.0;
    Vector y(n_), dy(n_);
    for (const SampledDocument& doc : documents_) {
      y.setZero();
      for (const auto& [token, weight] : doc.xbar) y += weight * M.col(token);
      double count = 0.0;
      dy.setZero();
      if (loss_ == theory::LossKind::kSquared) {
        // sum_w c_w ||y - e_w||^2 = count ||y||^2 - 2 sum_w c_w y_w + count
        for (const auto& [word, c] : doc.targets) {
          count += c;
          total -= 2.0 * c * y[word];
          dy[word] -= 2.0 * c;
        }
        total += count * (y.squaredNorm() + 1.0);
        dy += 2.0 * count * y;
      } else {
        const double shift = y.maxCoeff();
        const double log_partition = shift + std::log((y.array() - shift).exp().sum());
        for (const auto& [word, c] : doc.targets) {
          count += c;
          total += c * (log_partition - y[word]);
          dy[word] -= c;
        }
        dy += count * (y.array() - log_partition).exp().matrix();
      }
      if (gradient) {
        for (const auto& [token, weight] : doc.xbar) gradient->col(token) += weight * dy;
      }
    }
    if (gradient) *gradient /= total_targets_;
    return total / total_targets_;
  }

 private:
  std::vector<SampledDocument> documents_;
  double total_targets_;
  int n_;
  theory::LossKind loss_;
};

}  // namespace

std::unique_ptr<LinearObjective> ExactSquaredObjective(const theory::Scenario& scenario) {
  const int n = scenario.tokens().n();
  if (scenario.HasTopicBlockStructure()) {
    return std::make_unique<ExactSquared<theory::StructuredSecondMoments>>(
        theory::ExactStructuredSecondMoments(scenario), n);
  }
  return std::make_unique<ExactSquared<theory::SecondMoments>>(theory::ExactSecondMoments(scenario), n);
}

std::unique_ptr<LinearObjective> SampleAverageObjective(const theory::Scenario& scenario, theory::LossKind loss,
                                                        std::uint64_t documents, std::uint64_t seed,
                                                        int finite_length) {
  const theory::DocumentSampler sampler(scenario, finite_length);
  const bool all_keys = scenario.masking.keys == theory::KeySet::kAllPositions;
  const int n = scenario.tokens().n();
  std::vector<SampledDocument> sample;
  double total_targets = 0.0;
  Vector counts(n), targets(n);
  for (std::uint64_t d = 0; d < documents; ++d) {
    const theory::MaskedDocument doc = sampler.Sample(seed, d);
    counts.setZero();
    targets.setZero();
    double keys = 0.0;
    for (int i = 0; i < doc.N(); ++i) {
      if (doc.selected[i]) targets[doc.words[i]] += 1.0;
      if (all_keys || !doc.selected[i]) {
        counts[doc.inputs[i]] += 1.0;
        keys += 1.0;
      }
    }
    SampledDocument out;
    for (int t = 0; t < n; ++t) {
      if (counts[t] > 0 && keys > 0) out.xbar.emplace_back(t, counts[t] / keys);
      if (targets[t] > 0) out.targets.emplace_back(t, targets[t]);
    }
    if (out.targets.empty()) continue;
    total_targets += targets.sum();
    sample.push_back(std::move(out));
  }
  if (total_targets == 0.0) {
    throw std::invalid_argument(
        fmt::format("sample-average objective: no selected position in {} documents of '{}' "
                    "(p_m = {}); use more documents",
                    documents, scenario.name, scenario.masking.p_m));
  }
  return std::make_unique<SampleAverage>(std::move(sample), total_targets, n, loss);
}

}  // namespace ldaformer::solvers
