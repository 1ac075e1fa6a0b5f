// `ldaformer sample`: a corpus drawn from a scenario, written in the token-id format, with the documents'
// true topic proportions and the scenario's topics beside it when asked, so that `assumptions` and
// `train --corpus` can be fed from a scenario without a hand-written sampler.
#pragma once

#include <cstdint>
#include <string>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/theory/corpus.hpp"

namespace ldaformer::app {

struct SampleRequest {
  ScenarioFile file;
  std::size_t documents = 0;  // >= 1
  std::uint64_t seed = 1;
  int infinite_length = 2000;  // words per document when the scenario's length law is infinite
  std::string out;             // the corpus (token-id format)
  std::string thetas_out;      // optional: documents x T CSV of the true topic proportions
  std::string topics_out;      // optional: T x v CSV of beta (what `assumptions --topics` reads)

  // Throws std::invalid_argument naming the flag and the value.
  void Validate() const;
};

struct SampleResult {
  theory::Corpus corpus;
  std::vector<std::string> files;  // what was written
};

// Document d is a pure function of (scenario, seed, d): the same flags give the same file.
SampleResult RunSample(const SampleRequest& request);

}  // namespace ldaformer::app
