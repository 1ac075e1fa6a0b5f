// Claim T3's predicate: attention weight per pair bucket, against hand values and a direct O(N^2) pass
// over the definition, with its standard errors checked against replicate corpora.
#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "predicate_support.hpp"

#include "ldaformer/claims/attention_buckets.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"

namespace ldaformer::claims {
namespace {

using Catch::Contains;
using theory::Matrix;

constexpr double kTol = 1e-12;

using testing::A1Topics;

Matrix SameTopicScores(const std::vector<int>& topic, int n, double big) {
  Matrix S = Matrix::Zero(n, n);
  for (std::size_t q = 0; q < topic.size(); ++q) {
    for (std::size_t a = 0; a < topic.size(); ++a) S(q, a) = topic[q] == topic[a] ? big : 0.0;
  }
  return S;
}

// n x n scores with i.i.d. N(0, sd^2) entries.
Matrix RandomScores(int n, double sd, std::uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> normal;
  Matrix scores(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) scores(i, j) = sd * normal(gen);
  }
  return scores;
}

theory::Scenario SmallScenario(int T, int v) {
  return theory::ParseScenarioString("topics: {kind: disjoint_uniform, T: " + std::to_string(T) +
                                     ", v: " + std::to_string(v) + "}\nlength: {kind: uniform, min: 5, max: 30}");
}

// The definition position by position: query i, softmax over every position j, weight times N.
std::array<double, 3> DirectBucketMeans(const Matrix& scores, const std::vector<std::vector<int>>& documents,
                                        const std::vector<int>& topic) {
  std::array<double, 3> sum{}, pairs{};
  for (const auto& doc : documents) {
    const int N = static_cast<int>(doc.size());
    for (int i = 0; i < N; ++i) {
      double Z = 0.0;
      for (int j = 0; j < N; ++j) Z += std::exp(scores(doc[i], doc[j]));
      for (int j = 0; j < N; ++j) {
        const int bucket = doc[j] == doc[i] ? 0 : topic[doc[j]] == topic[doc[i]] ? 1 : 2;
        sum[bucket] += N * std::exp(scores(doc[i], doc[j])) / Z;
        pairs[bucket] += 1;
      }
    }
  }
  return {sum[0] / pairs[0], sum[1] / pairs[1], sum[2] / pairs[2]};
}

TEST_CASE("Uniform attention reads exactly 1 in every bucket", "[verify][T3]") {
  const theory::Scenario scenario = SmallScenario(3, 12);
  const AttentionBuckets r = MeasureAttentionBuckets(Matrix::Zero(13, 13), scenario, 200, 5);
  REQUIRE(r.applicable);
  CHECK(r.documents == 200);
  CHECK(r.same_token.mean == 1.0);
  CHECK(r.same_topic.mean == 1.0);
  CHECK(r.different_topic.mean == 1.0);
  CHECK(r.same_token.standard_error == 0.0);
  CHECK(r.margin == 0.0);
  CHECK(r.margin_standard_error == 0.0);
  CHECK_FALSE(r.holds);
  // Every ordered pair of positions lands in exactly one bucket.
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 200, 5);
  std::uint64_t all_pairs = 0;
  for (const auto& doc : corpus.documents) all_pairs += doc.size() * doc.size();
  CHECK(r.same_token.pairs + r.same_topic.pairs + r.different_topic.pairs == all_pairs);
}

TEST_CASE("A hand-computed two-document example", "[verify][T3]") {
  // Topics {0, 1}, {2, 3}; a key of the query's topic has weight 2, any other weight 1.
  const std::vector<int> topic = A1Topics(2, 2);
  const Matrix scores = SameTopicScores(topic, 5, std::log(2.0));
  // Document [0, 1, 2]: queries 0 and 1 give N a = 6/5, 6/5, 3/5 (same token, same topic, other topic);
  // query 2 gives 3/4, 3/4 (other topic) and 3/2 (itself). Document [0, 0, 3]: each query 0 gives 6/5 to
  // both 0s and 3/5 to the 3; the query 3 gives 3/4 to each 0 and 3/2 to itself.
  // Same token: (6/5 + 6/5 + 3/2 + 4 * 6/5 + 3/2) / 8 = 10.2 / 8; same topic: (6/5 + 6/5) / 2;
  // other topic: (3/5 + 3/5 + 3/2 + 3/5 + 3/5 + 3/2) / 8 = 5.4 / 8.
  const AttentionBuckets r = MeasureAttentionBuckets(scores, {{0, 1, 2}, {0, 0, 3}}, topic);
  REQUIRE(r.applicable);
  CHECK(r.same_token.mean == Approx(10.2 / 8).margin(kTol));
  CHECK(r.same_topic.mean == Approx(1.2).margin(kTol));
  CHECK(r.different_topic.mean == Approx(5.4 / 8).margin(kTol));
  CHECK(r.same_token.pairs == 8);
  CHECK(r.same_topic.pairs == 2);
  CHECK(r.different_topic.pairs == 8);
  CHECK(r.margin == Approx(1.2 - 5.4 / 8).margin(kTol));
  CHECK(r.holds);
  // Same token per document: 3.9 over 3 pairs and 6.3 over 5; residuals +-0.075 around 1.275, so
  // se = sqrt(2 * 0.075^2 / (2 * 1)) / 4. Each document's other-topic ratio is 2.7 / 4: no spread.
  CHECK(r.same_token.standard_error == Approx(0.075 / 4).margin(kTol));
  CHECK(r.different_topic.standard_error == Approx(0.0).margin(kTol));
}

TEST_CASE("Bucket means match the position-by-position definition for random scores", "[verify][T3]") {
  const theory::Scenario scenario = SmallScenario(4, 12);
  const std::vector<int> topic = A1Topics(4, 3);
  const Matrix scores = RandomScores(13, 2.0, 9);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 50, 2);
  const AttentionBuckets r = MeasureAttentionBuckets(scores, corpus.documents, topic);
  const std::array<double, 3> direct = DirectBucketMeans(scores, corpus.documents, topic);
  CHECK(r.same_token.mean == Approx(direct[0]).epsilon(1e-12));
  CHECK(r.same_topic.mean == Approx(direct[1]).epsilon(1e-12));
  CHECK(r.different_topic.mean == Approx(direct[2]).epsilon(1e-12));
  // A softmax ignores a constant added to a query's scores.
  const Matrix shifted = scores + Eigen::VectorXd::LinSpaced(13, -40.0, 40.0) * Eigen::RowVectorXd::Ones(13);
  const AttentionBuckets same = MeasureAttentionBuckets(shifted, corpus.documents, topic);
  CHECK(same.same_topic.mean == Approx(r.same_topic.mean).epsilon(1e-12));
  CHECK(same.margin == Approx(r.margin).epsilon(1e-12));
  // Scores far beyond exp's range are handled by the shift, not turned into NaN.
  const AttentionBuckets huge = MeasureAttentionBuckets(1000.0 * scores, corpus.documents, topic);
  CHECK(std::isfinite(huge.same_token.mean));
  CHECK(std::isfinite(huge.margin));
}

TEST_CASE("Attention given per document over distinct tokens gives the score table's buckets", "[verify][T3]") {
  // Document attention built position by position from a score table (each position's weights over the
  // document, read off at the first position of every distinct token), then added one document at a time.
  const theory::Scenario scenario = SmallScenario(4, 12);
  const std::vector<int> topic = A1Topics(4, 3);
  const Matrix scores = RandomScores(13, 1.5, 11);
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 60, 3);
  AttentionBucketSums sums(topic);
  for (const auto& doc : corpus.documents) {
    DocumentAttention a;
    for (int w : doc) {
      const auto at = std::find(a.tokens.begin(), a.tokens.end(), w);
      if (at == a.tokens.end()) {
        a.tokens.push_back(w);
        a.counts.push_back(1);
      } else {
        ++a.counts[at - a.tokens.begin()];
      }
    }
    const auto K = static_cast<Eigen::Index>(a.tokens.size());
    a.weights.resize(K, K);
    for (Eigen::Index k = 0; k < K; ++k) {
      double Z = 0.0;
      for (int w : doc) Z += std::exp(scores(a.tokens[k], w));
      for (Eigen::Index l = 0; l < K; ++l) a.weights(k, l) = std::exp(scores(a.tokens[k], a.tokens[l])) / Z;
    }
    sums.Add(a);
  }
  const AttentionBuckets table = MeasureAttentionBuckets(scores, corpus.documents, topic);
  const AttentionBuckets given = sums.Result();
  CHECK(given.documents == table.documents);
  CHECK(given.same_token.mean == Approx(table.same_token.mean).epsilon(kTol));
  CHECK(given.same_topic.mean == Approx(table.same_topic.mean).epsilon(kTol));
  CHECK(given.different_topic.mean == Approx(table.different_topic.mean).epsilon(kTol));
  CHECK(given.margin == Approx(table.margin).epsilon(1e-10));
  CHECK(given.margin_standard_error == Approx(table.margin_standard_error).epsilon(1e-10));
  CHECK(given.same_topic.pairs == table.same_topic.pairs);
  // Bad input names the document.
  DocumentAttention bad{{0, 1}, {1, 1}, Matrix::Zero(3, 3)};
  CHECK_THROWS_WITH(sums.Add(bad), Contains("attention buckets: document 60 has 2 tokens"));
  DocumentAttention out_of_range{{12}, {1}, Matrix::Ones(1, 1)};
  CHECK_THROWS_WITH(sums.Add(out_of_range), Contains("must be a word id in 0..11"));
}

TEST_CASE("Same-topic scores raise same-topic attention; negated scores lower it", "[verify][T3]") {
  const theory::Scenario scenario = SmallScenario(3, 12);
  const std::vector<int> topic = A1Topics(3, 4);
  const AttentionBuckets up = MeasureAttentionBuckets(SameTopicScores(topic, 13, 3.0), scenario, 300, 1);
  CHECK(up.same_topic.mean > 1.0);
  CHECK(up.different_topic.mean < 1.0);
  CHECK(up.margin > 10 * up.margin_standard_error);
  CHECK(up.holds);
  const AttentionBuckets down = MeasureAttentionBuckets(SameTopicScores(topic, 13, -3.0), scenario, 300, 1);
  CHECK(down.same_topic.mean < 1.0);
  CHECK(down.different_topic.mean > 1.0);
  CHECK(down.margin < -10 * down.margin_standard_error);
  CHECK_FALSE(down.holds);
}

TEST_CASE("The margin's standard error matches its spread over independent corpora", "[verify][T3]") {
  const theory::Scenario scenario = SmallScenario(3, 12);
  const std::vector<int> topic = A1Topics(3, 4);
  Matrix scores = SameTopicScores(topic, 13, 0.5);
  std::mt19937_64 gen(4);
  std::normal_distribution<double> normal;
  for (int i = 0; i < 12; ++i) {
    for (int j = 0; j < 12; ++j) scores(i, j) += 0.5 * normal(gen);
  }
  constexpr int kReplicates = 60;
  double sum = 0.0, sum_sq = 0.0, se_sum = 0.0;
  for (int k = 0; k < kReplicates; ++k) {
    const AttentionBuckets r = MeasureAttentionBuckets(scores, scenario, 100, 1000 + k);
    sum += r.margin;
    sum_sq += r.margin * r.margin;
    se_sum += r.margin_standard_error;
  }
  const double spread = std::sqrt((sum_sq - sum * sum / kReplicates) / (kReplicates - 1));
  // The sample standard deviation of 60 replicates is itself uncertain by about 1/sqrt(2 * 59) = 9%:
  // 30% is over 3 of its standard errors.
  CHECK(se_sum / kReplicates == Approx(spread).epsilon(0.3));
}

TEST_CASE("The result does not depend on the thread count", "[verify][T3]") {
  const theory::Scenario scenario = SmallScenario(3, 12);
  const Matrix scores = SameTopicScores(A1Topics(3, 4), 13, 1.5);
  const AttentionBuckets one = MeasureAttentionBuckets(scores, scenario, 500, 8, 1);
  const AttentionBuckets three = MeasureAttentionBuckets(scores, scenario, 500, 8, 3);
  CHECK(one.same_token.mean == three.same_token.mean);
  CHECK(one.same_topic.mean == three.same_topic.mean);
  CHECK(one.different_topic.standard_error == three.different_topic.standard_error);
  CHECK(one.margin == three.margin);
  CHECK(one.margin_standard_error == three.margin_standard_error);
}

TEST_CASE("Empty buckets give a NaN margin and a reason, not a crash", "[verify][T3]") {
  const AttentionBuckets one_topic = MeasureAttentionBuckets(Matrix::Zero(4, 4), {{0, 1, 2}, {2, 2}}, A1Topics(1, 3));
  CHECK_FALSE(one_topic.applicable);
  CHECK(std::isnan(one_topic.margin));
  CHECK(std::isnan(one_topic.different_topic.mean));
  CHECK(one_topic.same_topic.mean == 1.0);
  CHECK_THAT(one_topic.reason, Contains("no different-topic pairs"));

  const AttentionBuckets singletons = MeasureAttentionBuckets(Matrix::Zero(3, 3), {{0, 1, 2}, {1, 1}}, A1Topics(3, 1));
  CHECK_FALSE(singletons.applicable);
  CHECK(std::isnan(singletons.margin));
  CHECK_THAT(singletons.reason, Contains("no same-topic pairs"));

  const AttentionBuckets nothing = MeasureAttentionBuckets(Matrix::Zero(3, 3), {{}, {}}, A1Topics(3, 1));
  CHECK_FALSE(nothing.applicable);
  CHECK_THAT(nothing.reason, Contains("no word positions"));

  const AttentionBuckets one_document = MeasureAttentionBuckets(Matrix::Zero(5, 5), {{0, 1, 2}}, A1Topics(2, 2));
  CHECK(one_document.applicable);
  CHECK(std::isnan(one_document.margin_standard_error));
  CHECK(std::isnan(one_document.same_token.standard_error));
}

TEST_CASE("Bad inputs are refused with the document and position named", "[verify][T3]") {
  CHECK_THROWS_WITH(MeasureAttentionBuckets(Matrix::Zero(4, 4), {{0, 1}, {2, 4}}, A1Topics(2, 2)),
                    Contains("document 1 position 1 must be a word id in 0..3, got 4"));
  CHECK_THROWS_WITH(MeasureAttentionBuckets(Matrix::Zero(3, 3), {{0}}, A1Topics(2, 2)), Contains("1..n=3 entries"));
  Matrix scores = Matrix::Zero(4, 4);
  scores(0, 3) = std::nan("");
  CHECK_THROWS_WITH(MeasureAttentionBuckets(scores, {{0}}, A1Topics(2, 2)), Contains("scores(0, 3) must be finite"));
}

}  // namespace
}  // namespace ldaformer::claims
