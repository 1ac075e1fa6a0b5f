#include "ldaformer/theory/corpus.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/input_file.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

std::size_t Corpus::TokenCount() const {
  std::size_t count = 0;
  for (const auto& document : documents) count += document.size();
  return count;
}

std::uint64_t Corpus::Fingerprint() const {
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](std::uint64_t value) {
    for (int byte = 0; byte < 8; ++byte) hash = (hash ^ ((value >> (8 * byte)) & 0xff)) * kPrime;
  };
  for (const auto& document : documents) {
    mix(document.size());
    for (int w : document) mix(std::uint64_t(std::uint32_t(w)));
  }
  return hash;
}

namespace {

int ParseWordId(const std::string& field, const std::string& where) {
  const bool digits =
      !field.empty() && std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) {
    throw std::invalid_argument(fmt::format("{}: '{}' is not a word id (a non-negative integer)", where, field));
  }
  // At most 8 digits are read, so the value is far inside long; ids beyond the largest vocabulary are
  // refused here, before v = max id + 1 is formed (or allocated).
  const std::size_t first = field.find_first_not_of('0');
  const long value = first == std::string::npos ? 0
                     : field.size() - first > 8 ? kMaxVocabulary
                                                : std::stol(field.substr(first));
  if (value >= kMaxVocabulary) {
    throw std::invalid_argument(
        fmt::format("{}: word id {} is beyond the largest vocabulary the suite takes "
                    "(ids 0..{})",
                    where, field, kMaxVocabulary - 1));
  }
  return static_cast<int>(value);
}

}  // namespace

Corpus ParseCorpus(std::istream& in, const std::string& source, int v) {
  if (v < 0 || v > kMaxVocabulary) {
    throw std::invalid_argument(fmt::format("corpus vocabulary size v must be in 0..{}, got {}", kMaxVocabulary, v));
  }
  Corpus corpus;
  int max_id = -1;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    const std::string where = fmt::format("{} line {}", source, line_number);
    std::istringstream fields(line);
    std::vector<std::string> tokens;
    for (std::string field; fields >> field;) tokens.push_back(field);
    if (tokens.empty() || tokens.front()[0] == '#') continue;
    if (tokens.back() == "END") tokens.pop_back();
    if (tokens.empty()) throw std::invalid_argument(fmt::format("{}: a document with no words", where));
    std::vector<int> document;
    document.reserve(tokens.size());
    for (const std::string& field : tokens) {
      if (field == "END") throw std::invalid_argument(fmt::format("{}: END may only be the last field", where));
      const int id = ParseWordId(field, where);
      if (v > 0 && id >= v) {
        throw std::invalid_argument(fmt::format("{}: word id {} is outside the vocabulary 0..{}", where, id, v - 1));
      }
      max_id = std::max(max_id, id);
      document.push_back(id);
    }
    corpus.documents.push_back(std::move(document));
  }
  if (corpus.documents.empty()) throw std::invalid_argument(fmt::format("{}: the corpus has no documents", source));
  corpus.v = v > 0 ? v : max_id + 1;
  return corpus;
}

Corpus ReadCorpus(const std::string& path, int v) {
  RequireInputFile(path, "corpus");
  std::ifstream in(path);
  return ParseCorpus(in, path, v);
}

void WriteCorpus(const std::string& path, const Corpus& corpus, bool trailing_end) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", path));
  for (const auto& document : corpus.documents) {
    for (std::size_t i = 0; i < document.size(); ++i) out << (i ? " " : "") << document[i];
    out << (trailing_end ? " END\n" : "\n");
  }
  if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", path));
}

Corpus SampleCorpus(const Scenario& scenario, std::size_t documents, std::uint64_t seed, int finite_length) {
  const DocumentSampler sampler(scenario, finite_length);
  Corpus corpus;
  corpus.v = scenario.topics.v;
  corpus.documents.reserve(documents);
  corpus.thetas.reserve(documents);
  for (std::size_t d = 0; d < documents; ++d) {
    MaskedDocument document = sampler.Sample(seed, d);
    corpus.documents.push_back(std::move(document.words));
    corpus.thetas.push_back(std::move(document.theta));
  }
  return corpus;
}

}  // namespace ldaformer::theory
