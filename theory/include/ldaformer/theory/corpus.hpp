// A corpus of documents in word ids, the plain token-id file format, and sampling a corpus from a scenario.
//
// File format (also the authors' released synthetic corpus): one document per line, whitespace-separated
// word ids in 0..v-1, optionally followed by the literal token END as the last field. Blank lines and lines
// starting with '#' are skipped.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// Documents as word ids in 0..v-1. For a sampled corpus `thetas[d]` holds document d's true topic
// proportions; a corpus read from a file has none.
struct Corpus {
  int v = 0;
  std::vector<std::vector<int>> documents;
  std::vector<Vector> thetas;

  std::size_t TokenCount() const;
  // 64-bit FNV-1a of the word ids and the document boundaries: tells corpora apart (a resumed run must
  // train on the corpus it started on).
  std::uint64_t Fingerprint() const;
};

// Parses the token-id format. `v` > 0 requires every id to be below v; `v` = 0 infers v = max id + 1.
// Throws std::invalid_argument naming `source`, the line number and the offending field.
Corpus ParseCorpus(std::istream& in, const std::string& source, int v = 0);
Corpus ReadCorpus(const std::string& path, int v = 0);

// Writes the token-id format; `trailing_end` appends END to every line, as the authors' files do.
void WriteCorpus(const std::string& path, const Corpus& corpus, bool trailing_end = true);

// `documents` documents drawn from the scenario's topic model, prior and length law (no masking: masks
// are drawn at training time). Document d is a pure function of (scenario, seed, d). An infinite length
// law gives documents of `finite_length` words.
Corpus SampleCorpus(const Scenario& scenario, std::size_t documents, std::uint64_t seed, int finite_length = 2000);

}  // namespace ldaformer::theory
