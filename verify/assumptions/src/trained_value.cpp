#include "ldaformer/assumptions/trained_value.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::assumptions {

void ValueTraining::Validate() const {
  if (steps < 1) throw std::invalid_argument(fmt::format("--train-steps must be >= 1, got {}", steps));
  if (batch < 1) throw std::invalid_argument(fmt::format("--train-batch must be >= 1, got {}", batch));
  if (!std::isfinite(optimizer.lr) || optimizer.lr <= 0.0) {
    throw std::invalid_argument(fmt::format("--train-lr must be finite and > 0, got {}", optimizer.lr));
  }
  if (!std::isfinite(relative_lambda) || relative_lambda < 0.0) {
    throw std::invalid_argument(fmt::format("--train-l2 must be finite and >= 0, got {}", relative_lambda));
  }
  if (!std::isfinite(init_scale) || init_scale < 0.0) {
    throw std::invalid_argument(fmt::format("--train-init-scale must be finite and >= 0, got {}", init_scale));
  }
  optimizer.Validate();
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double MeanLoss(const std::vector<sim::TrajectoryPoint>& points, std::size_t first, std::size_t last) {
  double sum = 0.0;
  for (std::size_t k = first; k < last; ++k) sum += points[k].data_loss;
  return sum / double(last - first);
}

// The exact squared objective of the corpus moments with y = W xbar (no bias) and lambda ||W||^2.
double ExactObjective(const theory::SecondMoments& moments, const theory::Matrix& W, double lambda) {
  const theory::LinearPredictor predictor{W, theory::Vector::Zero(W.rows())};
  return theory::ExactSquaredLoss(moments, predictor) + lambda * W.squaredNorm();
}

OptimumComparison Compare(const TrainedValue& trained, const CorpusValueOptimum& optimum,
                          const theory::SecondMoments& moments) {
  OptimumComparison c;
  c.relative_distance = (trained.W - optimum.W).norm() / optimum.W.norm();
  c.cosine = trained.W.cwiseProduct(optimum.W).sum() / (trained.W.norm() * optimum.W.norm());
  const bool same_objective = trained.training.loss == theory::LossKind::kSquared &&
                              trained.training.relative_lambda == optimum.relative_lambda;
  if (!same_objective) {
    c.excess_objective = c.decrease_achieved = kNaN;
    return c;
  }
  const double at_optimum = ExactObjective(moments, optimum.W, optimum.lambda);
  // J(0) = L(0) = E ||e_w||^2 = 1: with W = 0 every prediction is 0.
  constexpr double kAtZero = 1.0;
  c.excess_objective = ExactObjective(moments, trained.W, optimum.lambda) - at_optimum;
  c.decrease_achieved = 1.0 - c.excess_objective / (kAtZero - at_optimum);
  return c;
}

}  // namespace

TrainedValue TrainCorpusValue(const theory::Corpus& corpus, const std::vector<int>& word_topic,
                              const ValueTraining& training, const theory::SecondMoments& moments,
                              const CorpusValueOptimum* optimum, const theory::Masking& masking) {
  training.Validate();
  if (static_cast<int>(word_topic.size()) != corpus.v) {
    throw std::invalid_argument(fmt::format("trained W^V: {} word topics for v={} words", word_topic.size(), corpus.v));
  }
  if (moments.C.rows() != corpus.v + 1) {
    throw std::invalid_argument(
        fmt::format("trained W^V: moments of n={} tokens for v={} words and MASK", moments.C.rows(), corpus.v));
  }
  // The trainer reads the vocabulary and the masking from a scenario; its topics and prior play no part
  // with a trainable W^V, so one uniform topic stands in.
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  scenario.name = "corpus";
  scenario.topics = theory::TopicModel::DisjointUniform(1, corpus.v);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(1, 1.0);
  scenario.masking = masking;

  TrainedValue out;
  out.training = training;
  out.lambda = training.relative_lambda * MeanEigenvalue(moments);
  sim::TrainingOptions options;
  options.model.embedding = sim::EmbeddingMode::kOneHot;
  options.model.attention = sim::AttentionMode::kUniform;
  options.model.value = sim::ValueMode::kTrainable;
  options.model.decoder = theory::Decoder::kIdentity;
  options.model.loss = training.loss;
  options.model.l2.W_V = out.lambda;
  options.optimizer = training.optimizer;
  options.steps = training.steps;
  options.batch = training.batch;
  options.masking = training.masking;
  options.seed = training.seed;
  options.init_scale = training.init_scale;
  sim::TrainingResult result = sim::Train(corpus, scenario, options);

  out.W = std::move(result.params.W_V);
  out.trajectory = std::move(result.trajectory);
  out.termination = result.termination;
  out.message = result.message;
  out.seconds = result.seconds;
  // A run that diverges at its first step records no point at all.
  const std::size_t points = out.trajectory.size();
  const std::size_t fifth = std::max<std::size_t>(1, points / 5);
  out.final_loss = points > 0 ? MeanLoss(out.trajectory, points - fifth, points) : kNaN;
  out.last_fifth_drop = kNaN;
  if (points >= 2 * fifth) {
    const double before = MeanLoss(out.trajectory, points - 2 * fifth, points - fifth);
    out.last_fifth_drop = (before - out.final_loss) / before;
  }
  out.block = claims::MeasureBlockStructure(out.W, word_topic, corpus.v);
  if (optimum) out.optimum = Compare(out, *optimum, moments);
  return out;
}

}  // namespace ldaformer::assumptions
