#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/scenario.hpp"

using namespace ldaformer;

namespace {

theory::Corpus Parse(const std::string& text, int v = 0) {
  std::istringstream in(text);
  return theory::ParseCorpus(in, "test.txt", v);
}

}  // namespace

TEST_CASE("corpus: parses the authors' format with a trailing END", "[theory][corpus]") {
  const theory::Corpus corpus = Parse("3 1 4 1 5 END\n\n# comment\n9 2 6\n");
  REQUIRE(corpus.documents.size() == 2);
  CHECK(corpus.documents[0] == std::vector<int>{3, 1, 4, 1, 5});
  CHECK(corpus.documents[1] == std::vector<int>{9, 2, 6});
  CHECK(corpus.v == 10);
  CHECK(corpus.TokenCount() == 8);
}

TEST_CASE("corpus: malformed lines are rejected with the line number", "[theory][corpus]") {
  CHECK_THROWS_WITH(Parse("1 2\n3 x 4\n"), Catch::Contains("test.txt line 2: 'x' is not a word id"));
  CHECK_THROWS_WITH(Parse("1 -2\n"), Catch::Contains("line 1: '-2' is not a word id"));
  CHECK_THROWS_WITH(Parse("1 END 2\n"), Catch::Contains("line 1: END may only be the last field"));
  CHECK_THROWS_WITH(Parse("1 2\nEND\n"), Catch::Contains("line 2: a document with no words"));
  CHECK_THROWS_WITH(Parse("1 2\n3 100\n", 100), Catch::Contains("line 2: word id 100 is outside the vocabulary 0..99"));
  CHECK_THROWS_WITH(Parse("99999999999999999999\n"), Catch::Contains("is beyond the largest vocabulary"));
  // INT_MAX once overflowed v = max id + 1; every id from 10^7 on is refused before v is formed.
  CHECK_THROWS_WITH(Parse("994 2147483647\n"),
                    Catch::Contains("line 1: word id 2147483647 is beyond the largest vocabulary the suite takes "
                                    "(ids 0..9999999)"));
  CHECK_THROWS_WITH(Parse("10000000\n"), Catch::Contains("word id 10000000 is beyond"));
  CHECK(Parse("0009999999\n").v == 10000000);
  CHECK_THROWS_WITH(Parse("\n# nothing\n"), Catch::Contains("the corpus has no documents"));
}

TEST_CASE("corpus: a sampled corpus survives a write and read back", "[theory][corpus]") {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 20, 7);
  REQUIRE(corpus.documents.size() == 20);
  REQUIRE(corpus.thetas.size() == 20);
  for (const auto& document : corpus.documents) {
    CHECK(document.size() >= 100);
    CHECK(document.size() <= 150);
  }
  // A fresh directory of this run's own (concurrent runs share the temporary directory), removed at the end.
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("ldaformer-corpus-" + std::to_string(std::random_device{}()));
  REQUIRE(std::filesystem::create_directory(directory));
  const std::string path = (directory / "corpus.txt").string();
  theory::WriteCorpus(path, corpus);
  const theory::Corpus back = theory::ReadCorpus(path, 100);
  std::filesystem::remove_all(directory);
  CHECK(back.documents == corpus.documents);
  CHECK(theory::SampleCorpus(scenario, 20, 7).documents == corpus.documents);
  CHECK(theory::SampleCorpus(scenario, 20, 8).documents != corpus.documents);
}
