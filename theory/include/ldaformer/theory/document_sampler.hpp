// Sampling masked LDA documents from a scenario.
#pragma once

#include <cstdint>
#include <vector>

#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::theory {

// One sampled document with its masking.
struct MaskedDocument {
  Vector theta;                // the document's topic proportions
  std::vector<int> words;      // true words w_1..w_N
  std::vector<char> selected;  // selected for prediction (probability p_m each)
  std::vector<int> inputs;     // what each position shows (word, random token or MASK)
  // target_inputs[i]: what position i shows when it is the prediction target, i.e. conditioned on
  // being selected. Equal to inputs[i] where selected[i]; a fresh draw from the target channel
  // elsewhere. Lets every position serve as a target without biasing the others.
  std::vector<int> target_inputs;

  int N() const { return static_cast<int>(words.size()); }
};

// Draws masked documents from a scenario. Construction precomputes the per-topic word tables once;
// Sample is const and thread-safe.
class DocumentSampler {
 public:
  // The scenario must be valid (Scenario::Validate). For an infinite length law, documents have
  // `finite_length` tokens instead.
  explicit DocumentSampler(const Scenario& scenario, int finite_length = 2000);

  // Document `index` under `seed`: a pure function of (scenario, seed, index), so the same document
  // comes out whichever thread draws it.
  MaskedDocument Sample(std::uint64_t seed, std::uint64_t index) const;

 private:
  int DrawWord(int topic, Rng& rng) const;

  Scenario scenario_;
  int finite_length_;
  std::vector<std::vector<double>> word_tables_;  // beta rows, for a general beta
};

// Draws what a position with true word `word` shows, through `channel`.
int DrawInput(int word, const Channel& channel, const TokenSpace& tokens, ReplacementAlphabet replacement, Rng& rng);

}  // namespace ldaformer::theory
