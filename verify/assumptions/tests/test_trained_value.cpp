// W^V trained on a corpus (the path of `assumptions --train-wv`), measured by word topics and compared with
// the exact corpus optimum. Small sampled A1 corpora, a few thousand cheap steps each.
#include <vector>

#include <catch2/catch.hpp>

#include "../../claims/tests/predicate_support.hpp"
#include "ldaformer/assumptions/corpus_value_optimum.hpp"
#include "ldaformer/assumptions/trained_value.hpp"
#include "ldaformer/theory/corpus.hpp"

using namespace ldaformer;
using claims::testing::A1Topics;

namespace {

constexpr int kT = 4;
constexpr int kM = 5;  // words per topic
constexpr int kV = kT * kM;

// One length for every document: then the trainer's expected objective is exactly the corpus quadratic
// (trained_value.hpp), so any gap to the optimum is optimisation error.
theory::Corpus A1Corpus(double alpha, std::size_t documents, std::uint64_t seed) {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  scenario.topics = theory::TopicModel::DisjointUniform(kT, kV);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(kT, alpha);
  scenario.length = theory::LengthDistribution::Fixed(40);
  return theory::SampleCorpus(scenario, documents, seed);
}

// Squared loss, L2 lambda = tr(C)/n, SGD with linear decay: the settings the optimum comparison uses.
assumptions::ValueTraining SquaredSgd(int steps) {
  assumptions::ValueTraining training;
  training.optimizer.kind = sim::OptimizerKind::kSgd;
  training.optimizer.lr = 5.0;
  training.steps = steps;
  training.batch = 50;
  training.relative_lambda = 1.0;
  return training;
}

}  // namespace

TEST_CASE("Trained W^V on a sampled A1 corpus prefers same-topic words, and cross-cutting topics do not",
          "[assumptions][sim]") {
  const theory::Corpus corpus = A1Corpus(0.1, 400, 11);
  const theory::SecondMoments moments = assumptions::CorpusSecondMoments(corpus);
  const assumptions::TrainedValue trained =
      assumptions::TrainCorpusValue(corpus, A1Topics(kT, kM), SquaredSgd(600), moments);
  REQUIRE(trained.termination == sim::Termination::kCompleted);
  INFO("contrast " << trained.block.contrast << ", margin " << trained.block.margin);
  CHECK(trained.block.holds);
  CHECK(trained.block.margin > 0.0);
  CHECK(trained.block.share_above_every_topic == 1.0);

  // Negative control: the same matrix judged by labels that cut across the topics (w mod T).
  std::vector<int> shuffled(kV);
  for (int w = 0; w < kV; ++w) shuffled[w] = w % kT;
  const claims::BlockStructure control = claims::MeasureBlockStructure(trained.W, shuffled, kV);
  INFO("cross-cutting contrast " << control.contrast << ", margin " << control.margin);
  CHECK_FALSE(control.holds);
  CHECK(control.share_above_every_topic < 0.5);
}

TEST_CASE("Trained W^V on a corpus without topic structure has no positive margin", "[assumptions][sim]") {
  // alpha = 1000: every document is a near-even mixture of all topics, so co-occurrence carries no topic.
  const theory::Corpus corpus = A1Corpus(1000.0, 400, 12);
  const theory::SecondMoments moments = assumptions::CorpusSecondMoments(corpus);
  const assumptions::TrainedValue trained =
      assumptions::TrainCorpusValue(corpus, A1Topics(kT, kM), SquaredSgd(600), moments);
  INFO("contrast " << trained.block.contrast << ", margin " << trained.block.margin);
  CHECK_FALSE(trained.block.holds);
  CHECK(trained.block.margin <= 0.0);
}

TEST_CASE("Squared loss with L2: trained W^V reaches the exact corpus optimum", "[assumptions][sim]") {
  // Fixed length and dynamic masks: the trainer's expected objective is the optimum's quadratic, so the
  // only gaps are minibatch noise and finite steps. Contract: 5% relative Frobenius distance (measured
  // 2-4% here; full batches of 400 documents for 12,000 steps reach 0.7%, too slow for a unit test). The
  // 10x lambda optimum is the control that the distance discriminates.
  constexpr double kRelativeDistance = 0.05;
  const theory::Corpus corpus = A1Corpus(0.1, 400, 13);
  const theory::SecondMoments moments = assumptions::CorpusSecondMoments(corpus);
  const assumptions::CorpusValueOptimum optimum =
      assumptions::ComputeCorpusValueOptimum(moments, A1Topics(kT, kM), kV, 1.0);
  const assumptions::TrainedValue trained =
      assumptions::TrainCorpusValue(corpus, A1Topics(kT, kM), SquaredSgd(3000), moments, &optimum);
  REQUIRE(trained.optimum);
  INFO("distance " << trained.optimum->relative_distance << ", excess " << trained.optimum->excess_objective);
  CHECK(trained.optimum->relative_distance < kRelativeDistance);
  CHECK(trained.optimum->cosine > 0.999);
  CHECK(trained.optimum->excess_objective >= 0.0);
  CHECK(trained.optimum->excess_objective < 1e-4);  // of a loss near 0.8
  CHECK(trained.optimum->decrease_achieved > 0.99);
  CHECK(trained.optimum->decrease_achieved <= 1.0);
  CHECK(trained.block.contrast == Approx(optimum.block.contrast).epsilon(0.02));

  const assumptions::CorpusValueOptimum other =
      assumptions::ComputeCorpusValueOptimum(moments, A1Topics(kT, kM), kV, 10.0);
  CHECK((trained.W - other.W).norm() / other.W.norm() > 5 * kRelativeDistance);
}

TEST_CASE("Value training settings are checked with the flag's name", "[assumptions]") {
  const theory::Corpus corpus = A1Corpus(0.1, 10, 14);
  const theory::SecondMoments moments = assumptions::CorpusSecondMoments(corpus);
  assumptions::ValueTraining training;
  training.steps = 0;
  CHECK_THROWS_WITH(assumptions::TrainCorpusValue(corpus, A1Topics(kT, kM), training, moments),
                    "--train-steps must be >= 1, got 0");
  training = {};
  training.relative_lambda = -1.0;
  CHECK_THROWS_WITH(assumptions::TrainCorpusValue(corpus, A1Topics(kT, kM), training, moments),
                    "--train-l2 must be finite and >= 0, got -1");
  CHECK_THROWS_WITH(assumptions::TrainCorpusValue(corpus, A1Topics(kT, 2), assumptions::ValueTraining{}, moments),
                    Catch::Contains("8 word topics for v=20 words"));
}
