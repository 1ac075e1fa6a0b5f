// Assumption statistics on sampled corpora: with the true topics they recover the generating
// parameters; with wrong topics or data that break an assumption the verdict fails.
#include <cmath>

#include <catch2/catch.hpp>

#include "ldaformer/assumptions/assumption_statistics.hpp"
#include "ldaformer/assumptions/lda_gibbs.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/scenario.hpp"

using namespace ldaformer;
using theory::Matrix;
using theory::Vector;

namespace {

theory::Scenario Scenario(int T, int v, double alpha) {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  scenario.topics = theory::TopicModel::DisjointUniform(T, v);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(T, alpha);
  return scenario;
}

assumptions::TopicEstimate TrueTopics(const theory::Scenario& scenario, const theory::Corpus& corpus) {
  assumptions::TopicEstimate estimate;
  estimate.source = "true topics";
  estimate.beta = scenario.topics.beta;
  estimate.theta.resize(corpus.thetas.size(), scenario.topics.T);
  for (std::size_t d = 0; d < corpus.thetas.size(); ++d) estimate.theta.row(d) = corpus.thetas[d].transpose();
  return estimate;
}

const assumptions::AssumptionVerdict& Verdict(const assumptions::AssumptionReport& report, const std::string& name) {
  for (const auto& verdict : report.verdicts) {
    if (verdict.name == name) return verdict;
  }
  FAIL("no verdict " << name);
  throw std::logic_error("unreachable");
}

// Topics-per-document statistics straight from the prior, by Monte Carlo on fresh draws.
std::pair<double, double> PriorTopicsAbove(const theory::DocumentPrior& prior, double mass, int draws) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < draws; ++i) {
    theory::Rng rng = theory::StreamFor(999, i);
    const double count = static_cast<double>((prior.Sample(rng).array() > mass).count());
    sum += count;
    sum_sq += count * count;
  }
  const double mean = sum / draws;
  return {mean, std::sqrt((sum_sq / draws - mean * mean) / draws)};
}

}  // namespace

TEST_CASE("With the true topics, the statistics recover the paper scenario's parameters", "[assumptions][statistics]") {
  const theory::Scenario scenario = Scenario(10, 100, 0.1);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 2000, 17);
  const assumptions::AssumptionReport report =
      assumptions::ComputeAssumptionStatistics(corpus, TrueTopics(scenario, corpus));
  INFO(assumptions::FormatAssumptionTable(report));
  // A1 holds exactly for the true beta.
  CHECK(report.mean_top_topic_share == Approx(1.0).epsilon(1e-12));
  CHECK(report.mean_uniformity == Approx(1.0).epsilon(1e-12));
  // alpha within 10% (symmetric fit within 5%).
  for (Eigen::Index k = 0; k < 10; ++k) CHECK(report.dirichlet.alpha[k] == Approx(0.1).epsilon(0.10));
  CHECK(report.symmetric_dirichlet.alpha[0] == Approx(0.1).epsilon(0.05));
  // Topics per document: the prior's own mean (5000 fresh draws), within 4 combined standard errors.
  const auto [prior_mean, prior_se] = PriorTopicsAbove(scenario.prior, 0.1, 5000);
  const double corpus_se = std::sqrt(prior_se * prior_se * 5000.0 / 2000.0);
  CHECK(std::abs(report.mean_topics_above - prior_mean) < 4.0 * std::hypot(prior_se, corpus_se));
  // Lengths are uniform on 100..150 and independent of theta.
  CHECK(report.min_length >= 100);
  CHECK(report.max_length <= 150);
  CHECK(report.mean_length == Approx(125.0).epsilon(0.01));
  CHECK(report.max_length_correlation < 0.1);  // about 3 / sqrt(2000) for 10 topics
  // The empirical E[theta theta^T] is the prior's within 10%.
  const Matrix exact = scenario.prior.SecondMoment();
  CHECK((report.theta_second_moment - exact).norm() / exact.norm() < 0.1);
  // Co-occurrence: the block model fits to within the noise, and the contrast is (alpha + 1) / alpha = 11.
  CHECK(report.cooccurrence_error < 2.0 * report.cooccurrence_noise);
  CHECK(report.empirical_contrast == Approx(11.0).epsilon(0.15));
  CHECK(report.model_contrast == Approx(11.0).epsilon(0.15));
  for (const auto& verdict : report.verdicts) {
    INFO(verdict.name);
    CHECK(verdict.holds);
  }
}

TEST_CASE("EmpiricalWordPairs is unbiased for P2 (exact moments vs 4000 sampled documents)",
          "[assumptions][statistics]") {
  const theory::Scenario scenario = Scenario(4, 12, 0.5);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 4000, 23);
  const Matrix pairs = assumptions::EmpiricalWordPairs(corpus);
  const Matrix& beta = scenario.topics.beta;
  const Matrix exact = beta.transpose() * scenario.prior.SecondMoment() * beta;
  // Per-entry standard error from the document-level spread (each document contributes one term).
  Matrix sum_sq = Matrix::Zero(12, 12);
  for (const auto& document : corpus.documents) {
    Vector c = Vector::Zero(12);
    for (const int w : document) c[w] += 1.0;
    const double N = static_cast<double>(document.size());
    Matrix term = c * c.transpose();
    term.diagonal() -= c;
    term /= N * (N - 1.0);
    sum_sq += term.cwiseProduct(term);
  }
  const Matrix se = ((sum_sq / 4000.0 - pairs.cwiseProduct(pairs)) / 4000.0).cwiseSqrt();
  CHECK(((pairs - exact).cwiseAbs().array() <= 4.0 * se.array()).all());
  CHECK(pairs.sum() == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("Verdicts fail when an assumption is broken", "[assumptions][statistics]") {
  SECTION("overlapping topics break disjointness and uniformity") {
    theory::Scenario scenario = Scenario(5, 50, 0.1);
    Matrix beta = Matrix::Constant(5, 50, 0.5 / 50);
    for (int t = 0; t < 5; ++t) {
      for (int i = 0; i < 10; ++i) beta(t, 10 * t + i) += 0.5 * std::ldexp(1.0, -i) / (2.0 - std::ldexp(1.0, -9));
    }
    scenario.topics = theory::TopicModel::FromBeta(beta);
    const theory::Corpus corpus = theory::SampleCorpus(scenario, 300, 2);
    const auto report = assumptions::ComputeAssumptionStatistics(corpus, TrueTopics(scenario, corpus));
    CHECK_FALSE(Verdict(report, "topic-word disjointness").holds);
    CHECK_FALSE(Verdict(report, "within-topic uniformity").holds);
    CHECK(Verdict(report, "co-occurrence vs block model P2").holds);
  }
  SECTION("wrong topics (words permuted against beta) fail the co-occurrence model") {
    const theory::Scenario scenario = Scenario(5, 50, 0.1);
    const theory::Corpus corpus = theory::SampleCorpus(scenario, 1000, 3);
    assumptions::TopicEstimate estimate = TrueTopics(scenario, corpus);
    Eigen::PermutationMatrix<Eigen::Dynamic> shuffle(50);
    for (int w = 0; w < 50; ++w) shuffle.indices()[w] = (7 * w + 3) % 50;
    estimate.beta = estimate.beta * shuffle;
    const auto report = assumptions::ComputeAssumptionStatistics(corpus, estimate);
    CHECK_FALSE(Verdict(report, "co-occurrence vs block model P2").holds);
    CHECK_FALSE(Verdict(report, "co-occurrence block contrast").holds);
  }
  SECTION("dense mixtures fail the few-topics verdict; lengths tied to theta fail independence") {
    const theory::Scenario scenario = Scenario(5, 50, 10.0);
    theory::Corpus corpus = theory::SampleCorpus(scenario, 500, 4);
    for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
      corpus.documents[d].resize(20 + static_cast<int>(200 * corpus.thetas[d][0]));
    }
    const auto report = assumptions::ComputeAssumptionStatistics(corpus, TrueTopics(scenario, corpus));
    CHECK_FALSE(Verdict(report, "topics per document").holds);
    CHECK_FALSE(Verdict(report, "document lengths").holds);
  }
}

TEST_CASE("Without known topics, LDA plus the counts recovers the parameters", "[assumptions][statistics][lda]") {
  const theory::Scenario scenario = Scenario(5, 50, 0.1);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 600, 31);
  assumptions::GibbsOptions options;
  options.topics = 5;
  options.sweeps = 150;
  options.burn_in = 50;
  const assumptions::LdaFit fit = assumptions::FitLdaGibbs(corpus, options);
  assumptions::TopicEstimate estimate{"LDA", fit.beta, fit.theta, fit.counts};
  const auto report = assumptions::ComputeAssumptionStatistics(corpus, estimate);
  INFO(assumptions::FormatAssumptionTable(report));
  CHECK(report.symmetric_dirichlet.alpha[0] == Approx(0.1).epsilon(0.10));
  CHECK(report.mean_top_topic_share > 0.95);
  CHECK(report.mean_uniformity > 0.95);
  CHECK(report.empirical_contrast == Approx(11.0).epsilon(0.2));
  CHECK(Verdict(report, "co-occurrence vs block model P2").holds);
}

TEST_CASE("Shapes and thresholds are validated", "[assumptions][statistics]") {
  const theory::Scenario scenario = Scenario(5, 50, 0.1);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 10, 1);
  assumptions::TopicEstimate estimate = TrueTopics(scenario, corpus);
  estimate.beta = Matrix::Constant(5, 40, 1.0 / 40);
  CHECK_THROWS_WITH(assumptions::ComputeAssumptionStatistics(corpus, estimate), Catch::Contains("corpus has v=50"));
  assumptions::AssumptionThresholds thresholds;
  thresholds.topic_mass = 1.5;
  CHECK_THROWS_WITH(assumptions::ComputeAssumptionStatistics(corpus, TrueTopics(scenario, corpus), thresholds),
                    "thresholds.topic_mass must be in (0, 1], got 1.5");
}
