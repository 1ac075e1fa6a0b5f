// Collapsed Gibbs LDA: recovery of planted topics up to permutation, reproducibility, negative controls.
#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "ldaformer/assumptions/lda_gibbs.hpp"
#include "ldaformer/assumptions/topic_matching.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/scenario.hpp"

using namespace ldaformer;
using theory::Matrix;

namespace {

theory::Scenario SmallScenario(double alpha) {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  scenario.name = "small";
  scenario.topics = theory::TopicModel::DisjointUniform(5, 50);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(5, alpha);
  scenario.length = theory::LengthDistribution::Uniform(60, 90);
  return scenario;
}

assumptions::GibbsOptions SmallOptions() {
  assumptions::GibbsOptions options;
  options.topics = 5;
  options.sweeps = 150;
  options.burn_in = 50;
  options.optimize_alpha_every = 10;
  options.seed = 3;
  return options;
}

}  // namespace

TEST_CASE("MinimumCostAssignment finds the optimum found by brute force", "[assumptions][lda]") {
  Matrix cost(3, 4);
  cost << 4, 1, 3, 9, 2, 0, 5, 9, 3, 2, 2, 1;
  auto total = [&](const std::vector<int>& columns) {
    double sum = 0.0;
    for (int i = 0; i < 3; ++i) sum += cost(i, columns[i]);
    return sum;
  };
  // Brute force: the first three entries of every permutation of the four columns.
  std::vector<int> columns = {0, 1, 2, 3};
  double best = 1e300;
  do {
    best = std::min(best, total(columns));
  } while (std::next_permutation(columns.begin(), columns.end()));
  const std::vector<int> assignment = assumptions::MinimumCostAssignment(cost);
  CHECK(total(assignment) == best);
  CHECK(std::set<int>(assignment.begin(), assignment.end()).size() == 3);
  CHECK_THROWS_AS(assumptions::MinimumCostAssignment(Matrix::Zero(3, 2)), std::invalid_argument);
}

TEST_CASE("Gibbs LDA recovers planted A1 topics up to permutation", "[assumptions][lda]") {
  const theory::Scenario scenario = SmallScenario(0.1);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 400, 5);
  const assumptions::LdaFit fit = assumptions::FitLdaGibbs(corpus, SmallOptions());
  const assumptions::TopicMatching matching = assumptions::MatchTopics(scenario.topics.beta, fit.beta);
  INFO("word accuracy " << matching.word_accuracy << ", mean TV " << matching.mean_total_variation);
  CHECK(matching.word_accuracy == Approx(1.0).epsilon(1e-12));
  CHECK(matching.mean_total_variation < 0.08);
  // The re-estimated alpha is the generating one within 20% (400 documents).
  CHECK(fit.alpha.mean() == Approx(0.1).epsilon(0.2));
  // The chain climbed: the last log-joint is far above the random start's.
  CHECK(fit.log_joint.back() > fit.log_joint.front());

  // Negative control: no sweeps leaves the random initial assignment, which recovers nothing.
  assumptions::GibbsOptions none = SmallOptions();
  none.sweeps = 0;
  const assumptions::TopicMatching random =
      assumptions::MatchTopics(scenario.topics.beta, assumptions::FitLdaGibbs(corpus, none).beta);
  CHECK(random.word_accuracy < 0.6);
  CHECK(random.mean_total_variation > 0.5);
}

TEST_CASE("Gibbs LDA recovers overlapping, non-uniform topics", "[assumptions][lda]") {
  theory::Scenario scenario = SmallScenario(0.2);
  // Each topic puts 70% of its mass on its own 10 words (decreasing), 30% spread over all 50.
  Matrix beta = Matrix::Constant(5, 50, 0.3 / 50);
  for (int t = 0; t < 5; ++t) {
    for (int i = 0; i < 10; ++i) beta(t, 10 * t + i) += 0.7 * (20.0 - i) / 155.0;
  }
  scenario.topics = theory::TopicModel::FromBeta(beta);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 600, 8);
  assumptions::GibbsOptions options = SmallOptions();
  options.sweeps = 200;
  const assumptions::LdaFit fit = assumptions::FitLdaGibbs(corpus, options);
  const assumptions::TopicMatching matching = assumptions::MatchTopics(beta, fit.beta);
  INFO("word accuracy " << matching.word_accuracy << ", mean TV " << matching.mean_total_variation);
  CHECK(matching.word_accuracy > 0.95);
  CHECK(matching.mean_total_variation < 0.12);
}

TEST_CASE("Gibbs LDA is a pure function of corpus, options and seed", "[assumptions][lda]") {
  const theory::Corpus corpus = theory::SampleCorpus(SmallScenario(0.1), 100, 9);
  assumptions::GibbsOptions options = SmallOptions();
  options.sweeps = 30;
  options.burn_in = 10;
  const assumptions::LdaFit a = assumptions::FitLdaGibbs(corpus, options);
  const assumptions::LdaFit b = assumptions::FitLdaGibbs(corpus, options);
  CHECK(a.beta == b.beta);
  CHECK(a.counts == b.counts);
  CHECK(a.log_joint == b.log_joint);
  options.seed = 4;
  CHECK(assumptions::FitLdaGibbs(corpus, options).counts != a.counts);
}

TEST_CASE("Gibbs with fixed topics assigns tokens to their true topic under A1", "[assumptions][lda]") {
  const theory::Scenario scenario = SmallScenario(0.1);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 50, 10);
  assumptions::GibbsOptions options = SmallOptions();
  options.sweeps = 5;
  const assumptions::LdaFit fit = assumptions::InferDocumentTopics(corpus, scenario.topics.beta, options);
  // Disjoint topics leave no choice: n_dk counts exactly the document's words of topic k.
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    Eigen::VectorXd expected = Eigen::VectorXd::Zero(5);
    for (const int w : corpus.documents[d]) expected[scenario.topics.TopicOf(w)] += 1.0;
    CHECK(fit.counts.row(d).transpose() == expected);
  }
  CHECK(fit.beta == scenario.topics.beta);
  Matrix bad = scenario.topics.beta;
  bad.col(0).setZero();
  bad.col(1) *= 2.0;
  CHECK_THROWS_WITH(assumptions::InferDocumentTopics(corpus, bad, options),
                    Catch::Contains("probability 0 under every topic"));
}

TEST_CASE("Gibbs options are validated with the field and the value", "[assumptions][lda]") {
  const theory::Corpus corpus = theory::SampleCorpus(SmallScenario(0.1), 5, 1);
  assumptions::GibbsOptions options;
  options.topics = 0;
  CHECK_THROWS_WITH(assumptions::FitLdaGibbs(corpus, options), "lda.topics must be >= 1, got 0");
  options = {};
  options.eta = -1;
  CHECK_THROWS_WITH(assumptions::FitLdaGibbs(corpus, options), "lda.eta must be finite and > 0, got -1");
}
