// Claim T3 over the scenario grid, its boundary (p_c = 0) and what the suite found with the T2 optimum's
// own W^V.
#include <cmath>
#include <cstdint>
#include <map>

#include <catch2/catch.hpp>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/claims/group_value_matrix.hpp"
#include "ldaformer/solvers/attention_solver.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "result_text.hpp"
#include "scenario_grid.hpp"

namespace ldaformer::claims {
namespace {

using theory::Matrix;

VerifyOptions T3Options() {
  VerifyOptions options = testing::TestOptions();
  options.theta_points = 128;
  options.t3_full_iterations = 30;
  return options;
}

// The general-beta tests' options: small samples, few QMC points (each check runs in well under a second).
VerifyOptions GeneralOptions() {
  VerifyOptions options = T3Options();
  options.theta_points = 64;
  options.saa_documents = 300;
  return options;
}

std::map<std::string, ClaimResult> ById(const std::vector<ClaimResult>& results) {
  std::map<std::string, ClaimResult> out;
  for (const ClaimResult& result : results) out[result.id] = result;
  return out;
}

TEST_CASE("T3 holds on every grid scenario at N -> infinity, and no sample average contradicts it", "[T3][slow]") {
  const auto files = testing::ScenarioFiles("grid");
  REQUIRE(files.size() >= 10);
  int sample_averages = 0, sample_averages_holding = 0;
  for (const std::string& file : files) {
    const auto results = ById(CheckT3(testing::Load(file), T3Options()));
    for (const auto& [id, result] : results) {
      INFO(file << ": " << id << " " << testing::Describe(result));
      CHECK(result.HypothesesMet());
      CHECK_FALSE(result.CountsAgainst());
      CHECK(result.margin > 0.0);
    }
    for (const char* id : {"T3", "T3-full"}) {
      INFO(file << ": " << id << " " << testing::Describe(results.at(id)));
      CHECK(results.at(id).Status() == ClaimStatus::kHolds);
      // The preference is a real one: well above the buckets' sampling error.
      CHECK(results.at(id).margin > 10 * results.at(id).details["buckets"]["margin_standard_error"].get<double>());
    }
    if (results.count("T3-SAA")) {
      ++sample_averages;
      if (results.at("T3-SAA").Status() == ClaimStatus::kHolds) ++sample_averages_holding;
    }
  }
  // 1500 documents resolve s_B everywhere but at N = 8 (t2-v10-a1-n8, where it is inconclusive).
  CHECK(sample_averages >= 10);
  CHECK(sample_averages_holding >= sample_averages - 1);
}

TEST_CASE("T3 negative control: with p_c = 0 the same-topic preference vanishes", "[T3]") {
  const theory::Scenario control = testing::Load(testing::Control("no-kept-tokens"));
  VerifyOptions options = T3Options();
  options.saa_documents = 600;
  const auto results = ById(CheckT3(control, options));
  REQUIRE(!results.empty());
  for (const auto& [id, result] : results) {
    INFO(id << " " << testing::Describe(result));
    CHECK_FALSE(result.HypothesesMet());
    CHECK(result.Status() == ClaimStatus::kNotApplicable);
    CHECK(result.Verdict() != ClaimStatus::kHolds);
  }
  // At N -> infinity s_B is zero to the solver's precision (it is 1.19 with p_c = 0.1 in the same setting).
  CHECK(std::abs(results.at("T3").details["s_B"].get<double>()) < 1e-5);
  CHECK(std::abs(results.at("T3").margin) < 1e-3);
  // On a sample average s_B is noise: within three of its standard errors.
  CHECK(results.at("T3-SAA").Verdict() == ClaimStatus::kInconclusive);
}

TEST_CASE("T3 with the T2 optimum's own W^V: attention copies the query's token instead", "[T3]") {
  // A finding, kept as a regression: the T2 optimum has a same-word excess (a > 0), and with it the
  // best scores put almost all weight on the query's own token and almost none on its topic's other
  // words, so the same-topic bucket falls below the different-topic one.
  VerifyOptions options = T3Options();
  options.saa_documents = 300;
  const auto results =
      ById(CheckT3(testing::Load(std::string(LDAFORMER_SCENARIO_DIR) + "/grid/t3-v12-a0.1-n20.yaml"), options));
  const nlohmann::json& copy = results.at("T3").details["with_T2_optimal_W_V"];
  INFO(copy.dump());
  CHECK(copy["buckets"]["same_token"].get<double>() > 2.0);
  CHECK(copy["buckets"]["margin"].get<double>() < 0.0);
  CHECK(copy["s_I"].get<double>() > 10.0);
}

TEST_CASE("T3 without A1 topics: computed over the argmax groups and reported, never counted", "[T3]") {
  // Overlapping topics: each word is shared by two topics, the argmax groups have unequal sizes (the full S
  // starts from uniform attention).
  const auto results = ById(CheckT3(testing::Load(testing::Control("overlapping-topics")), GeneralOptions()));
  REQUIRE(results.size() == 2);
  for (const auto& [id, result] : results) {
    INFO(testing::Describe(result));
    CHECK_FALSE(result.HypothesesMet());
    CHECK(result.Status() == ClaimStatus::kNotApplicable);
    CHECK(result.Reason() == ClaimReason::kHypothesisNotMet);
    CHECK_FALSE(result.CountsAgainst());
    CHECK(std::isfinite(result.margin));
    CHECK(std::isfinite(result.standard_error));
    CHECK(result.ReasonText().find("the numbers: ") != std::string::npos);
    CHECK(result.details["start"].get<std::string>().find("uniform attention") != std::string::npos);
  }
}

// Small general-beta scenarios: T = 3 topics of 3 words, N = 20.
theory::Scenario Blurred(double leak) {
  return theory::ParseScenarioString("topics: {kind: blurred, T: 3, v: 9, leak: " + std::to_string(leak) +
                                     "}\nprior: {kind: dirichlet, alpha: 0.1}\nlength: {kind: fixed, N: 20}\n"
                                     "masking: {p_m: 0.15, p_c: 0.1, p_r: 0.1}");
}

theory::Scenario A1Small() {
  return theory::ParseScenarioString(
      "topics: {kind: disjoint_uniform, T: 3, v: 9}\nprior: {kind: dirichlet, alpha: 0.1}\n"
      "length: {kind: fixed, N: 20}\nmasking: {p_m: 0.15, p_c: 0.1, p_r: 0.1}");
}

// A1 with the words in another order (word w in topic w % 3), written as a general beta matrix: not A1 by
// the parser (A1 is recognised in the canonical order only), so it takes the general route.
theory::Scenario PermutedA1() {
  std::string rows;
  for (int t = 0; t < 3; ++t) {
    rows += "    - [";
    for (int w = 0; w < 9; ++w) rows += std::string(w ? ", " : "") + (w % 3 == t ? "0.3333333333333333" : "0");
    rows += "]\n";
  }
  return theory::ParseScenarioString("topics:\n  kind: matrix\n  beta:\n" + rows +
                                     "prior: {kind: dirichlet, alpha: 0.1}\nlength: {kind: fixed, N: 20}\n"
                                     "masking: {p_m: 0.15, p_c: 0.1, p_r: 0.1}");
}

TEST_CASE("T3 on blurred topics: not applicable, with a real margin that holds", "[T3]") {
  const auto results = ById(CheckT3(Blurred(0.1), GeneralOptions()));
  REQUIRE(results.size() == 2);
  for (const char* id : {"T3", "T3-SAA"}) {
    const ClaimResult& result = results.at(id);
    INFO(testing::Describe(result));
    CHECK(result.Status() == ClaimStatus::kNotApplicable);
    CHECK_FALSE(result.CountsAgainst());
    CHECK(result.Verdict() == ClaimStatus::kHolds);
    CHECK(result.ReasonText().find("the numbers: holds") != std::string::npos);
    CHECK(result.margin > 3 * result.standard_error);
    CHECK(result.details["word_group_sizes"] == nlohmann::json({3, 3, 3}));
  }
  // The sample average's standard error adds the objective's spread over its replicates to the buckets'.
  const ClaimResult& saa = results.at("T3-SAA");
  CHECK(saa.details["replicates"].size() == 2);
  CHECK(saa.standard_error > saa.details["buckets"]["margin_standard_error"].get<double>());
}

TEST_CASE("T3 on a general beta is continuous at A1, and the general route reproduces the A1 route", "[T3]") {
  const VerifyOptions options = GeneralOptions();
  const auto a1 = ById(CheckT3(A1Small(), options));
  const ClaimResult& exact = a1.at("T3");
  // The general route on the A1 scenario itself: the same fresh documents and the same start. The full S
  // leaves the symmetric optimum only as far as the QMC points break the topic symmetry (measured 5.9e-4;
  // the A1 route's own T3 and T3-full differ by 1.9e-3 here for the same reason).
  const auto general = ById(CheckT3OnWordGroups(A1Small(), options, WordTopics(A1Small().topics)));
  INFO(testing::Describe(exact) << "\n" << testing::Describe(general.at("T3")));
  CHECK(std::abs(general.at("T3").margin - exact.margin) < 2e-3);
  // Leak 1e-6 and A1 in a permuted word order: the general sampler draws other fresh documents, so the
  // margins agree within their sampling errors (4 combined standard errors).
  for (const theory::Scenario& scenario : {Blurred(1e-6), PermutedA1()}) {
    const auto results = ById(CheckT3(scenario, options));
    const ClaimResult& near = results.at("T3");
    INFO(testing::Describe(near));
    CHECK_FALSE(near.HypothesesMet());
    CHECK(std::abs(near.margin - exact.margin) < 4 * std::hypot(near.standard_error, exact.standard_error));
    // Not merely within a loose band: the margin is known to ~2.5% here.
    CHECK(std::abs(near.margin - exact.margin) < 0.1 * exact.margin);
  }
}

TEST_CASE("T3 on a general beta: strong blur leaves no preference, a wrong grouping none either", "[T3]") {
  const VerifyOptions options = GeneralOptions();
  const double sharp = ById(CheckT3(Blurred(0.1), options)).at("T3").margin;
  const auto blurred = ById(CheckT3(Blurred(0.95), options));
  INFO(testing::Describe(blurred.at("T3")));
  // Measured 0.055 against 0.474 at leak 0.1 (the attention then sits on the query's own token: see the
  // own-group margin in docs/THEOREMS.md).
  CHECK(blurred.at("T3").margin < 0.2 * sharp);
  CHECK(blurred.at("T3").margin < 0.1);
  // Negative control: A1 topics w / 3, words grouped by w % 3 instead (each group one word of every
  // topic). W^V averaged over these groups carries no topic, and attention has nothing to prefer.
  const std::vector<int> shuffled = {0, 1, 2, 0, 1, 2, 0, 1, 2};
  const auto wrong = ById(CheckT3OnWordGroups(A1Small(), options, shuffled));
  for (const auto& [id, result] : wrong) {
    INFO(testing::Describe(result));
    CHECK_FALSE(result.margin > 3 * result.standard_error);
    CHECK(result.Verdict() != ClaimStatus::kHolds);
  }
}

TEST_CASE("T3's group-idealised W^V: group-pair means without the diagonal, specials by group", "[T3]") {
  // Groups {0, 3}, {1, 2, 4}, {5} of v = 6 words (unequal sizes, one single word), one special token.
  const std::vector<int> group = {7, 2, 2, 7, 2, 9};
  const int v = 6, n = 7;
  Matrix X(n, n);
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < n; ++i) X(i, j) = std::sin(1.0 + 3 * i + 7 * j) + (i == j ? 2.0 : 0.0);
  }
  const Matrix W = GroupIdealisedValueMatrix(X, group, v);
  // Direct: the mean over the pairs (k, l), k != l, of the two groups.
  const auto pair_mean = [&](int i, int j) {
    double sum = 0.0, count = 0.0;
    for (int k = 0; k < v; ++k) {
      for (int l = 0; l < v; ++l) {
        if (k != l && group[k] == group[i] && group[l] == group[j]) {
          sum += X(k, l);
          count += 1.0;
        }
      }
    }
    return sum / count;
  };
  for (int i = 0; i < v; ++i) {
    for (int j = 0; j < v; ++j) {
      if (i == 5 && j == 5) continue;
      CHECK(W(i, j) == Approx(pair_mean(i, j)).epsilon(1e-13));
    }
    // Word-special entries: the mean over the words of the group, in both orientations.
    double right = 0.0, below = 0.0, words = 0.0;
    for (int k = 0; k < v; ++k) {
      if (group[k] != group[i]) continue;
      right += X(k, v);
      below += X(v, k);
      words += 1.0;
    }
    CHECK(W(i, v) == Approx(right / words).epsilon(1e-13));
    CHECK(W(v, i) == Approx(below / words).epsilon(1e-13));
  }
  // The single word keeps its diagonal less the pooled same-word excess of the other groups.
  const double excess = (X(0, 0) + X(3, 3) + X(1, 1) + X(2, 2) + X(4, 4)) / 5.0 -
                        (X(0, 3) + X(3, 0) + X(1, 2) + X(2, 1) + X(1, 4) + X(4, 1) + X(2, 4) + X(4, 2)) / 8.0;
  CHECK(W(5, 5) == Approx(X(5, 5) - excess).epsilon(1e-13));
  CHECK(W(v, v) == X(v, v));
  // Negative control: the matrix is no longer the input (its diagonal excess is gone).
  CHECK((W - X).norm() > 0.1);

  // Under A1 it is the A1 route's idealised matrix: the topic-block averages with a = 0.
  const theory::Scenario a1 = A1Small();
  const Matrix W_T2 = solvers::OptimalValueMatrix(theory::ExactSecondMoments(a1), 1e-3);
  theory::TopicBlockMatrix block = solvers::TopicBlockAverage(W_T2, 3, 3);
  block.a = 0.0;
  CHECK((GroupIdealisedValueMatrix(W_T2, WordTopics(a1.topics), 9) - block.Dense()).norm() < 1e-13 * W_T2.norm());
}

TEST_CASE("T3-SAA's standard error matches the spread of its margin over independent samples", "[T3][slow]") {
  // Each seed draws new objective documents (which move s_B) and new fresh documents (which move the
  // buckets): the two parts of the reported standard error. With K = 12 samples the sample SD over the
  // true SD lies in [0.41, 1.69] with probability 0.998 (chi-square with 11 degrees of freedom).
  const theory::Scenario scenario = testing::Load(std::string(LDAFORMER_SCENARIO_DIR) + "/grid/t3-v12-a0.1-n20.yaml");
  std::vector<double> margins, errors;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    VerifyOptions options = T3Options();
    options.saa_documents = 600;
    options.t3_full_iterations = 1;
    options.seed = seed;
    const auto results = ById(CheckT3(scenario, options));
    const ClaimResult& saa = results.at("T3-SAA");
    INFO(testing::Describe(saa));
    REQUIRE(std::isfinite(saa.standard_error));
    margins.push_back(saa.margin);
    errors.push_back(saa.standard_error);
  }
  const double ratio = testing::SampleSd(margins) / testing::Mean(errors);
  INFO("sample SD / mean SE = " << ratio);
  CHECK(ratio > 0.41);
  CHECK(ratio < 1.69);
}

}  // namespace
}  // namespace ldaformer::claims

namespace ldaformer::claims {
namespace {

TEST_CASE("T3-SAA on a general beta: the replicate standard error matches the spread over independent samples",
          "[T3][slow]") {
  // Each seed draws new objective documents and new fresh documents: the two parts of the standard error
  // (replicate spread of the objective, the buckets' own). As claim D's test: the SE of 6 base seeds,
  // pooled as the root mean square, has at least the 2 x 6 = 12 degrees of freedom of its replicate part;
  // the margins of 10 other seeds have a sample SD with 9, so SD / RMS(SE) lies within the 0.998 range
  // [0.32, 2.76] of sqrt(F(9, 12)) when the SE estimates the SD of one sample's margin.
  const theory::Scenario scenario = theory::ParseScenarioString(
      "topics: {kind: blurred, T: 3, v: 9, leak: 0.1}\nprior: {kind: dirichlet, alpha: 0.1}\n"
      "length: {kind: fixed, N: 20}\nmasking: {p_m: 0.15, p_c: 0.1, p_r: 0.1}");
  const auto saa = [&](std::uint64_t seed) {
    VerifyOptions options = testing::TestOptions();
    options.theta_points = 16;  // only T3-SAA is read
    options.saa_documents = 300;
    options.seed = seed;
    for (const ClaimResult& result : CheckT3(scenario, options)) {
      if (result.id == "T3-SAA") return result;
    }
    FAIL("no T3-SAA result");
    return ClaimResult();
  };
  double sum_squared_errors = 0.0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const ClaimResult result = saa(seed);
    INFO(testing::Describe(result));
    REQUIRE(std::isfinite(result.standard_error));
    sum_squared_errors += result.standard_error * result.standard_error;
  }
  std::vector<double> margins;
  for (std::uint64_t seed = 101; seed <= 110; ++seed) margins.push_back(saa(seed).margin);
  const double ratio = testing::SampleSd(margins) / std::sqrt(sum_squared_errors / 6.0);
  INFO("sample SD " << testing::SampleSd(margins) << " / RMS SE " << std::sqrt(sum_squared_errors / 6.0) << " = "
                    << ratio);
  CHECK(ratio > 0.32);
  CHECK(ratio < 2.76);
}

}  // namespace
}  // namespace ldaformer::claims
