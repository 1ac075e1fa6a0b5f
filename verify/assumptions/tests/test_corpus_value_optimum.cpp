// The W^V stand-in: the exact T2 optimum of a corpus' document mixture.
#include <catch2/catch.hpp>

#include "ldaformer/assumptions/corpus_value_optimum.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/second_moments.hpp"

using namespace ldaformer;
using theory::Matrix;
using theory::Vector;

namespace {

theory::Scenario SmallScenario() {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  scenario.topics = theory::TopicModel::DisjointUniform(4, 20);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(4, 0.1);
  scenario.length = theory::LengthDistribution::Uniform(40, 60);
  return scenario;
}

std::vector<int> A1Topics(int v, int m) {
  std::vector<int> topics(v);
  for (int w = 0; w < v; ++w) topics[w] = w / m;
  return topics;
}

}  // namespace

TEST_CASE("Corpus moments equal the scenario's exact moments when the word laws match", "[assumptions][wv]") {
  // A fixed-length corpus whose p1 and pair law are handed to the word-law overload reproduces the
  // scenario path exactly when the scenario's P2 is the corpus' own: build that scenario by hand.
  const theory::Scenario scenario = SmallScenario();
  const theory::SecondMoments exact = theory::ExactSecondMoments(scenario);
  const Matrix& beta = scenario.topics.beta;
  const theory::SecondMoments from_laws = theory::ExactSecondMoments(
      beta.transpose() * scenario.prior.Mean(), beta.transpose() * scenario.prior.SecondMoment() * beta,
      scenario.tokens(), scenario.length, scenario.masking);
  CHECK((exact.A - from_laws.A).cwiseAbs().maxCoeff() == 0.0);
  CHECK((exact.C - from_laws.C).cwiseAbs().maxCoeff() == 0.0);

  // The corpus path: its C has the corpus' mean one-hot input law on the diagonal block it should.
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 3000, 4);
  const theory::SecondMoments moments = assumptions::CorpusSecondMoments(corpus);
  CHECK((moments.A - exact.A).norm() / exact.A.norm() < 0.05);
  CHECK((moments.C - exact.C).norm() / exact.C.norm() < 0.05);
  CHECK_THROWS_WITH(theory::ExactSecondMoments(Vector::Zero(3), Matrix::Zero(3, 3), scenario.tokens(), scenario.length,
                                               scenario.masking),
                    Catch::Contains("expected v=20"));
}

TEST_CASE("On a sampled A1 corpus the corpus optimum approaches the population T2 optimum", "[assumptions][wv]") {
  const theory::Scenario scenario = SmallScenario();
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 3000, 6);
  const assumptions::CorpusValueOptimum optimum = assumptions::ComputeCorpusValueOptimum(corpus, A1Topics(20, 5), 0.01);
  // The population optimum at the same lambda, from the exact moments of the generating scenario.
  const Matrix exact = solvers::OptimalValueMatrix(theory::ExactSecondMoments(scenario), optimum.lambda);
  const claims::BlockStructure exact_block = claims::MeasureBlockStructure(exact, A1Topics(20, 5), 20);
  INFO("corpus contrast " << optimum.block.contrast << ", exact " << exact_block.contrast);
  CHECK(optimum.block.holds);
  CHECK(optimum.block.contrast == Approx(exact_block.contrast).epsilon(0.05));
  // The block coefficients (means over same word / same topic / different topic) converge; the full matrix
  // more slowly, as sampling noise in C's small eigen-directions is amplified by up to 1/lambda.
  CHECK(optimum.block.same_word_mean == Approx(exact_block.same_word_mean).epsilon(0.05));
  CHECK(optimum.block.same_topic_mean == Approx(exact_block.same_topic_mean).epsilon(0.05));
  CHECK(optimum.block.different_topic_mean == Approx(exact_block.different_topic_mean).epsilon(0.05));
  CHECK((optimum.W - exact).norm() / exact.norm() < 0.25);

  // Negative control: the same optimum judged by topics that cut across the true ones has no block contrast.
  std::vector<int> wrong(20);
  for (int w = 0; w < 20; ++w) wrong[w] = w % 4;
  CHECK_FALSE(claims::MeasureBlockStructure(optimum.W, wrong, 20).holds);
  CHECK_THROWS_WITH(assumptions::ComputeCorpusValueOptimum(corpus, A1Topics(20, 5), 0.0),
                    "--wv-lambda must be finite and > 0, got 0");
}
