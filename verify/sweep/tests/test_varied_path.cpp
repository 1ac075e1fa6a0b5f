// --vary PATH=VALUES: lists, linear and log ranges, and every malformed form refused by name.
#include <catch2/catch.hpp>

#include "ldaformer/sweep/varied_path.hpp"

namespace ldaformer::sweep {
namespace {

using Catch::Contains;

TEST_CASE("A linear range has both ends and values as a scenario file would write them", "[sweep]") {
  const VariedPath v = ParseVariedPath("topics.leak=0:0.9:10");
  CHECK(v.path == "topics.leak");
  CHECK(v.spacing == Spacing::kLinear);
  CHECK(v.values == std::vector<std::string>{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"});
  REQUIRE(v.Numeric());
  CHECK(v.numbers[3] == 0.3);  // exactly the double a file saying 0.3 gives
  CHECK(v.Midpoint(0.1, 0.2) == "0.15");
}

TEST_CASE("A log range is equally spaced in log", "[sweep]") {
  const VariedPath v = ParseVariedPath("verify.lambda=log:1e-4:1:5");
  CHECK(v.spacing == Spacing::kLog);
  CHECK(v.values == std::vector<std::string>{"0.0001", "0.001", "0.01", "0.1", "1"});
  CHECK(v.Midpoint(0.01, 1.0) == "0.1");  // geometric
}

TEST_CASE("A list keeps its values, numbers or names", "[sweep]") {
  const VariedPath numbers = ParseVariedPath("masking.p_c = 0, 0.25,1");
  CHECK(numbers.path == "masking.p_c");
  CHECK(numbers.values == std::vector<std::string>{"0", "0.25", "1"});
  CHECK(numbers.Numeric());
  const VariedPath names = ParseVariedPath("masking.keys=all,unselected");
  CHECK(names.values == std::vector<std::string>{"all", "unselected"});
  CHECK_FALSE(names.Numeric());
  // A value may be a YAML list; commas inside brackets do not split.
  const VariedPath lists = ParseVariedPath("verify.d_eps=[1e-2,1e-3],[1e-3,1e-4]");
  CHECK(lists.values == std::vector<std::string>{"[1e-2,1e-3]", "[1e-3,1e-4]"});
  CHECK_FALSE(lists.Numeric());
}

TEST_CASE("Malformed --vary values are refused naming the text", "[sweep]") {
  CHECK_THROWS_WITH(ParseVariedPath("topics.leak"), Contains("--vary topics.leak: must be PATH=VALUES"));
  CHECK_THROWS_WITH(ParseVariedPath("=1,2"), Contains("the path is empty"));
  CHECK_THROWS_WITH(ParseVariedPath("a..b=1"), Contains("dotted field names"));
  CHECK_THROWS_WITH(ParseVariedPath("x="), Contains("no values"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:1"), Contains("FIRST:LAST:COUNT"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:one:3"), Contains("last value 'one' is not a number"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:1:2.5"), Contains("COUNT must be an integer from 2"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:1:1"), Contains("COUNT must be an integer from 2"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:1:1e9"), Contains("COUNT must be an integer from 2"));
  CHECK_THROWS_WITH(ParseVariedPath("x=log:0:1:3"), Contains("FIRST > 0"));
  CHECK_THROWS_WITH(ParseVariedPath("x=1:1:3"), Contains("are equal"));
  CHECK_THROWS_WITH(ParseVariedPath("x=0:nan:3"), Contains("not a number"));
  CHECK_THROWS_WITH(ParseVariedPath("x=1,,2"), Contains("an empty value"));
  CHECK_NOTHROW(ParseVariedPath("x=0.1,0.10"));  // different texts of one number: the user's choice
  CHECK_THROWS_WITH(ParseVariedPath("x=0.1,0.1"), Contains("the value 0.1 appears twice"));
  // Values closer than 12 significant digits tell apart.
  CHECK_THROWS_WITH(ParseVariedPath("x=1:1.0000000000001:3"), Contains("appears twice"));
}

}  // namespace
}  // namespace ldaformer::sweep
