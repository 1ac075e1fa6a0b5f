// The JSON of a result and of a report, claims.csv and the scenario record, on hand-built results.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "hand_built_results.hpp"
#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/report/scenario_json.hpp"
#include "ldaformer/report/verification_report.hpp"
#include "ldaformer/report/version.hpp"
#include "ldaformer/theory/scenario_yaml.hpp"

namespace ldaformer::report {
namespace {

using nlohmann::json;

std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

TEST_CASE("A result's JSON has exactly the agreed keys, names for status and reason, NaN as null", "[report]") {
  const std::vector<claims::ClaimResult> results = OneResultOfEachStatus();
  const json holds = ToJson(results[0]);
  CHECK(Keys(holds) == std::set<std::string>{"id", "claim", "status", "reason", "reason_text", "margin",
                                             "standard_error", "method", "hypotheses", "conditions", "cross_checks",
                                             "solves", "not_measurable", "details", "seconds"});
  CHECK(holds["status"] == "holds");
  CHECK(holds["margin"] == 0.25);
  CHECK(holds["standard_error"].is_null());
  CHECK(Keys(holds["hypotheses"][0]) == std::set<std::string>{"name", "met", "value"});
  CHECK(holds["conditions"][0] == json{{"name", "block residual"}, {"value", 1e-12}, {"limit", 1e-8}, {"met", true}});

  const json unverified = ToJson(results[3]);
  CHECK(unverified["status"] == "unverified");
  CHECK(unverified["reason"] == "cross-check out of tolerance");
  CHECK(Keys(unverified["cross_checks"][0]) == std::set<std::string>{"name", "error", "tolerance", "passed"});
  CHECK(unverified["cross_checks"][0]["passed"] == false);

  const json not_applicable = ToJson(results[4]);
  CHECK(not_applicable["status"] == "not applicable");
  CHECK(not_applicable["reason"] == "hypothesis not met");
  CHECK(not_applicable["margin"].is_null());
  CHECK(not_applicable["not_measurable"] == "no run reached stage 2");
}

TEST_CASE("The scenario record holds every field, beta and the alpha list included", "[report]") {
  const theory::Scenario scenario = theory::ParseScenarioString(
      "name: two-topics\n"
      "topics: {kind: matrix, beta: [[0.5, 0.5, 0, 0], [0, 0, 0.25, 0.75]]}\n"
      "prior: {kind: dirichlet, alpha: [0.1, 0.3]}\n"
      "length: {kind: pmf, values: [10, 20], probs: [0.25, 0.75]}\n"
      "masking: {p_m: 0.2, p_c: 0.1, p_r: 0.3, keys: unselected, replacement: all_tokens}\n"
      "special_tokens: 4\n");
  const json s = ToJson(scenario);
  CHECK(s["name"] == "two-topics");
  CHECK(s["topics"]["T"] == 2);
  CHECK(s["topics"]["v"] == 4);
  CHECK(s["topics"]["beta"] == json{{0.5, 0.5, 0.0, 0.0}, {0.0, 0.0, 0.25, 0.75}});
  CHECK(s["prior"] == json{{"kind", "dirichlet"}, {"T", 2}, {"alpha", {0.1, 0.3}}});
  CHECK(s["length"] == json{{"kind", "pmf"}, {"values", {10, 20}}, {"probs", {0.25, 0.75}}});
  CHECK(s["masking"] ==
        json{{"p_m", 0.2}, {"p_c", 0.1}, {"p_r", 0.3}, {"keys", "unselected"}, {"replacement", "all_tokens"}});
  CHECK(s["special_tokens"] == 4);
  // A1 is fixed by T and v: no matrix is written.
  CHECK_FALSE(ToJson(theory::PaperSyntheticScenario())["topics"].contains("beta"));
  CHECK(ToJson(theory::PaperSyntheticScenario())["length"] == json{{"kind", "uniform"}, {"min", 100}, {"max", 150}});
}

TEST_CASE("report.json and claims.csv record the program, the scenario, the options and the seed", "[report]") {
  claims::VerificationReport report;
  report.claims = OneResultOfEachStatus();
  claims::VerifyOptions options;
  options.seed = 7;
  const theory::Scenario scenario = theory::PaperSyntheticScenario();
  const json j = ToJson(report, scenario, options);
  CHECK(j["program"] == json{{"name", "ldaformer"}, {"version", ProgramVersion()}});
  CHECK(j["seed"] == 7);
  CHECK(j["verify"]["seed"] == 7);
  CHECK(j["verify"]["d_eps"] == json{1e-2, 1e-3, 1e-4});
  CHECK(j["scenario"] == ToJson(scenario));
  CHECK(j["expected_claims_hold"] == false);  // one fails, one is unverified
  CHECK(j["summary"] ==
        json{{"holds", 1}, {"fails", 1}, {"inconclusive", 1}, {"unverified", 1}, {"not applicable", 1}});
  CHECK(j["claims"].size() == 5);

  std::istringstream csv(ClaimsCsv(report, scenario, options));
  std::string line;
  std::vector<std::string> comments;
  while (std::getline(csv, line) && line.rfind("#", 0) == 0) comments.push_back(line);
  CHECK(comments == std::vector<std::string>{"# program: ldaformer " + ProgramVersion(),
                                             "# scenario: " + ToJson(scenario).dump(),
                                             "# verify: " + ToJson(options).dump(), "# seed: 7"});
  CHECK(line == "id,claim,status,reason,margin,standard_error,seconds");
  std::getline(csv, line);
  CHECK(line == "T2,T2,holds,,0.25,,0.5");
  std::getline(csv, line);
  CHECK(line.rfind("T2-blurred,T2,fails,margin <= 0,-0.125,,", 0) == 0);
}

TEST_CASE("A file written atomically replaces the old one whole and leaves no temporary behind", "[report]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fs::path("ldaformer-report-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "report.json").string();
  WriteFileAtomically(path, "old\n");
  WriteFileAtomically(path, "new\n");
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == "new\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  CHECK_THROWS_WITH(WriteFileAtomically((dir / "missing" / "x.json").string(), ""), Catch::Contains("missing/x.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ldaformer::report
