// Bad input is rejected at the edge with the field and the value.
#include <catch2/catch.hpp>

#include "ldaformer/theory/scenario_yaml.hpp"

namespace ldaformer::theory {
namespace {

using Catch::Contains;

TEST_CASE("An empty scenario file is the paper's synthetic setting", "[theory][scenario]") {
  const Scenario s = ParseScenarioString("");
  CHECK(s.name == "paper-synthetic");
  CHECK(s.topics.T == 10);
  CHECK(s.topics.v == 100);
  CHECK(s.topics.disjoint_uniform);
  CHECK(s.prior.alpha[0] == 0.1);
  CHECK(s.length.values.front() == 100);
  CHECK(s.length.values.back() == 150);
  CHECK(s.masking.p_m == 0.15);
  CHECK(s.HasTopicBlockStructure());
}

TEST_CASE("Every section of a scenario file is read", "[theory][scenario]") {
  const Scenario s = ParseScenarioString(R"(
name: custom
topics: {kind: disjoint_uniform, T: 4, v: 12}
prior: {kind: dirichlet, alpha: [0.1, 0.2, 0.3, 0.4]}
length: {kind: pmf, values: [2, 5], probs: [0.25, 0.75]}
masking: {p_m: 0.2, p_c: 0.0, p_r: 0.5, keys: unselected, replacement: all_tokens}
special_tokens: 4
verify: {anything: goes here}
)");
  CHECK(s.name == "custom");
  CHECK(s.topics.m() == 3);
  CHECK(s.prior.alpha[3] == 0.4);
  CHECK_FALSE(s.prior.IsExchangeable());
  CHECK(s.length.probs[1] == 0.75);
  CHECK(s.masking.keys == KeySet::kUnselectedOnly);
  CHECK(s.masking.replacement == ReplacementAlphabet::kAllTokens);
  CHECK(s.num_special == 4);

  const Scenario blurred =
      ParseScenarioString("topics: {kind: blurred, T: 2, v: 4, leak: 0.2}\nlength: {kind: infinite}");
  CHECK_FALSE(blurred.topics.disjoint_uniform);
  CHECK(blurred.topics.beta(0, 0) == Approx(0.45));
  CHECK(blurred.topics.beta(0, 3) == Approx(0.05));
  CHECK(blurred.length.IsInfinite());

  const Scenario matrix = ParseScenarioString("topics: {kind: matrix, beta: [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]]}");
  CHECK(matrix.topics.disjoint_uniform);  // A1 recognised from the numbers
  CHECK(matrix.prior.T == 2);
}

TEST_CASE("A scenario file reads every name of the masking tables", "[theory][scenario]") {
  for (const auto& [keys, name] : kNames<KeySet>) {
    const std::string text = "masking: {keys: " + std::string(name) + "}";
    CHECK(ParseScenarioString(text).masking.keys == keys);
    CHECK(NameOf(keys) == name);
  }
  for (const auto& [replacement, name] : kNames<ReplacementAlphabet>) {
    const std::string text = "masking: {replacement: " + std::string(name) + "}";
    CHECK(ParseScenarioString(text).masking.replacement == replacement);
    CHECK(NameOf(replacement) == name);
  }
  CHECK(ParseScenarioString("length: {kind: infinite}").length.kind == LengthDistribution::Kind::kInfinite);
  CHECK(ParseScenarioString("prior: {kind: uniform_subset, k: 2}").prior.kind == DocumentPrior::Kind::kUniformSubset);
  CHECK(NameList<LengthDistribution::Kind>() == "fixed, uniform, pmf or infinite");
}

TEST_CASE("Bad scenario values name the field and the value", "[theory][scenario]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"masking: {p_c: 0.6, p_r: 0.6}", "masking.p_c + masking.p_r must be <= 1, got p_c=0.6 + p_r=0.6"},
      {"masking: {p_m: 1.5}", "masking.p_m must be in [0, 1], got 1.5"},
      {"masking: {p_m: .nan}", "masking.p_m must be finite, got nan"},
      {"masking: {p_m: abc}", "masking.p_m must be a number, got 'abc'"},
      {"masking: {keys: some}", "masking.keys must be all or unselected, got 'some' (line 1)"},
      {"masking: {replacement: specials}", "masking.replacement must be words or all_tokens, got 'specials'"},
      {"topics: {kind: lda}", "topics.kind must be disjoint_uniform, blurred or matrix, got 'lda'"},
      {"length: {kind: poisson}", "length.kind must be fixed, uniform, pmf or infinite, got 'poisson'"},
      {"topics: {kind: disjoint_uniform, T: 3, v: 100}", "A1 needs T to divide v, got T=3 and v=100"},
      {"topics: {kind: disjoint_uniform, T: 0, v: 10}", "topics.T must be >= 1, got 0"},
      {"topics: {kind: disjoint_uniform, T: 2.5, v: 10}", "topics.T must be an integer, got '2.5'"},
      {"topics: {kind: matrix, beta: [[0.5, 0.6], [1, 0]]}", "topics.beta row 0 must sum to 1"},
      {"topics: {kind: matrix, beta: [[1.5, -0.5], [1, 0]]}", "topics.beta[0][1] must be finite and >= 0, got -0.5"},
      {"topics: {kind: matrix, beta: [[1, 0], [1]]}", "topics.beta[1] has 1 entries, row 0 has 2"},
      {"topics: {kind: blurred, T: 2, v: 4, leak: 2}", "topics.leak must be in [0, 1], got 2"},
      {"prior: {kind: dirichlet, alpha: 0}", "prior.alpha must be finite and > 0, got 0"},
      {"prior: {kind: dirichlet, alpha: -1}", "prior.alpha must be finite and > 0, got -1"},
      {"prior: {kind: dirichlet, alpha: [1, 2]}", "prior.alpha must have T=10 entries, got 2"},
      {"prior: {kind: uniform_subset, k: 11}", "prior.k must be in [1, T=10], got k=11"},
      {"prior: {kind: logistic}", "prior.kind must be dirichlet or uniform_subset, got 'logistic'"},
      {"length: {kind: uniform, min: 10, max: 5}", "length.max must be >= length.min=10, got 5"},
      {"length: {kind: fixed, N: 0}", "length.N must be in [1, 1000000], got 0"},
      {"length: {kind: pmf, values: [1, 2], probs: [0.5, 0.6]}", "length.probs must sum to 1"},
      {"length: {kind: pmf, values: [3, 2], probs: [0.5, 0.5]}", "length.values must be increasing"},
      {"length: {kind: fixed}", "length.N is required"},
      {"special_tokens: 0", "special_tokens must be >= 1, got 0"},
      {"masks: {p_m: 0.1}", "scenario: unknown key 'masks' (line 1)"},
      {"masking: {pm: 0.1}", "masking: unknown key 'pm'"},
      {"topics: [1, 2]", "topics must be a mapping"},
      {"length: 5", "length must be a mapping (line 1)"},
      {"masking: [0.1]", "masking must be a mapping"},
      {"? {a: 1}\n: 2", "scenario: a key must be a name, got a list or a mapping (line 1)"},
      {"masking: {? [p_m]: 0.1}", "masking: a key must be a name"},
      {"masking: {p_m: 0.1", "scenario is not valid YAML"},
  };
  for (const auto& [yaml, message] : cases) {
    INFO(yaml);
    CHECK_THROWS_WITH(ParseScenarioString(yaml), Contains(message));
  }
}

TEST_CASE("A beta typed with 6 decimals is renormalised; coarser rounding is refused", "[theory][scenario][edges]") {
  // Rows off by 1e-6 (as typed: 0.333333 three times) are within v * 1e-6 = 3e-6.
  const Scenario s = ParseScenarioString(
      "topics: {kind: matrix, beta: [[0.333333, 0.333333, 0.333333], [1, 0, 0]]}\nprior: {kind: dirichlet, alpha: "
      "0.5}");
  CHECK(s.topics.renormalised_deviation == Approx(1e-6).epsilon(1e-6));
  CHECK(std::abs(s.topics.beta.row(0).sum() - 1.0) < 1e-15);
  CHECK(s.topics.beta(0, 0) == Approx(1.0 / 3.0).epsilon(1e-15));
  CHECK(s.topics.beta(1, 0) == 1.0);
  const Scenario exact =
      ParseScenarioString("topics: {kind: matrix, beta: [[0.5, 0.5], [1, 0]]}\nprior: {kind: dirichlet, alpha: 0.5}");
  CHECK(exact.topics.renormalised_deviation == 0.0);
  // A1 typed with 6 decimals is A1 once renormalised (recognised from the divided rows, not the typed ones).
  const Scenario a1 = ParseScenarioString(
      "topics: {kind: matrix, beta: [[0.333333, 0.333333, 0.333333, 0, 0, 0], [0, 0, 0, 0.333333, 0.333333, "
      "0.333333]]}\nprior: {kind: dirichlet, alpha: 0.5}");
  CHECK(a1.topics.disjoint_uniform);
  CHECK_FALSE(s.topics.disjoint_uniform);
  CHECK_THROWS_WITH(ParseScenarioString("topics: {kind: matrix, beta: [[0.3333, 0.3333, 0.3333], [1, 0, 0]]}"),
                    Contains("topics.beta row 0 must sum to 1 (within v * 1e-06 = 3e-06), got 0.9999"));
}

TEST_CASE("A 500 x 500 beta parses in linear time", "[theory][scenario][edges]") {
  // Per-element copies of the document made a 100 x 100 beta take 41 s; 500 x 500 would not finish
  // within ctest's timeout.
  std::string yaml = "topics:\n  kind: matrix\n  beta:\n";
  for (int t = 0; t < 500; ++t) {
    yaml += "    - [";
    for (int w = 0; w < 500; ++w) yaml += (w ? ", " : "") + std::string(w == t ? "1" : "0");
    yaml += "]\n";
  }
  const Scenario s = ParseScenarioString(yaml);
  CHECK(s.topics.T == 500);
  CHECK(s.topics.beta(499, 499) == 1.0);
  CHECK(s.topics.disjoint_uniform);
}

TEST_CASE("A missing scenario file is reported by its path", "[theory][scenario]") {
  CHECK_THROWS_WITH(LoadScenarioFile("/nonexistent/scenario.yaml"),
                    Contains("cannot read file '/nonexistent/scenario.yaml'"));
}

TEST_CASE("Exact moments refuse a sampler prior without moments", "[theory][scenario]") {
  const DocumentPrior prior = DocumentPrior::FromSampler(2, [](Rng&) { return Vector::Constant(2, 0.5); });
  CHECK_FALSE(prior.HasExactMoments());
  CHECK_THROWS_WITH(prior.SecondMoment(), Contains("no exact second moment"));
}

}  // namespace
}  // namespace ldaformer::theory
