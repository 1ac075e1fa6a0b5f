// `--set PATH=VALUE` overrides: applied to the YAML tree, then validated by the same parser as the file.
#include <catch2/catch.hpp>

#include "ldaformer/theory/scenario_yaml.hpp"
#include "ldaformer/theory/yaml_overrides.hpp"

namespace ldaformer::theory::yaml {
namespace {

using Catch::Contains;

Scenario Parse(const std::string& file, const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const std::string& text : sets) overrides.push_back(ParseOverride(text));
  return ParseScenario(WithOverrides(YAML::Load(file), overrides));
}

TEST_CASE("An override replaces a field of the file and creates missing sections", "[theory][overrides]") {
  const std::string file = "topics: {kind: disjoint_uniform, T: 3, v: 9}\nmasking: {p_m: 0.3}\n";
  const Scenario s = Parse(file, {"masking.p_c=0", "topics.T=9", "prior.alpha=[0.1,0.2,0.3,0.1,0.2,0.3,0.1,0.2,0.3]",
                                  "length={kind: fixed, N: 7}"});
  CHECK(s.topics.T == 9);
  CHECK(s.topics.v == 9);
  CHECK(s.masking.p_m == 0.3);  // untouched
  CHECK(s.masking.p_c == 0.0);
  REQUIRE(s.prior.alpha.size() == 9);
  CHECK(s.prior.alpha[2] == 0.3);
  CHECK(s.length.values == std::vector<int>{7});
  // With no file the overrides apply to the defaults; a later override wins.
  const Scenario d = Parse("", {"masking.p_m=0.5", "masking.p_m=0.25"});
  CHECK(d.masking.p_m == 0.25);
  CHECK(d.topics.T == 10);
}

TEST_CASE("An override is validated exactly like the file, naming the field and the value", "[theory][overrides]") {
  CHECK_THROWS_WITH(Parse("", {"masking.p_c=1.5"}), Contains("masking.p_c") && Contains("1.5"));
  CHECK_THROWS_WITH(Parse("", {"topics.leek=0.3"}), Contains("unknown key 'leek'"));
  CHECK_THROWS_WITH(Parse("", {"nosuch.field=1"}), Contains("unknown key 'nosuch'"));
  // The value's own line marks are dropped: the message does not point at a line of the file.
  try {
    Parse("name: x\n\n\n", {"masking.p_m=abc"});
    FAIL("accepted masking.p_m=abc");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Contains("masking.p_m must be a number, got 'abc'") && !Contains("line"));
  }
  // A path through a field that holds a value.
  CHECK_THROWS_WITH(Parse("special_tokens: 1\n", {"special_tokens.x=1"}),
                    Contains("'special_tokens' is not a section"));
}

TEST_CASE("Malformed overrides are refused naming the text", "[theory][overrides]") {
  CHECK_THROWS_WITH(ParseOverride("masking.p_c"), Contains("must be PATH=VALUE") && Contains("'masking.p_c'"));
  CHECK_THROWS_WITH(ParseOverride("=3"), Contains("the path is empty"));
  CHECK_THROWS_WITH(ParseOverride("masking..p_c=3"), Contains("dotted field names"));
  CHECK_THROWS_WITH(ParseOverride("masking.p_c="), Contains("the value is empty"));
  CHECK_THROWS_WITH(ParseOverride("prior.alpha=[0.1,"), Contains("not valid YAML"));
  const Override o = ParseOverride("topics.kind=blurred");
  CHECK(o.path == "topics.kind");
  CHECK(o.value == "blurred");
  CHECK(o.Text() == "topics.kind=blurred");
}

TEST_CASE("Overrides do not change the tree they start from", "[theory][overrides]") {
  const YAML::Node file = YAML::Load("masking: {p_m: 0.3}");
  const YAML::Node changed = WithOverrides(file, {ParseOverride("masking.p_m=0.5")});
  CHECK(file["masking"]["p_m"].as<double>() == 0.3);
  CHECK(changed["masking"]["p_m"].as<double>() == 0.5);
}

}  // namespace
}  // namespace ldaformer::theory::yaml
