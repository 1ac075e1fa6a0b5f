// A data scenario: everything that fixes the LDA distribution of masked documents.
#pragma once

#include <string>

#include "ldaformer/theory/document_prior.hpp"
#include "ldaformer/theory/length_distribution.hpp"
#include "ldaformer/theory/masking.hpp"
#include "ldaformer/theory/topic_model.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

struct Scenario {
  std::string name = "unnamed";
  TopicModel topics;
  DocumentPrior prior;
  LengthDistribution length;
  Masking masking;
  int num_special = 1;  // MASK plus any other special tokens (the authors' code has 4)

  TokenSpace tokens() const { return TokenSpace{topics.v, num_special}; }

  // Checks that the parts fit together (prior over topics.T topics, num_special >= 1, masking valid).
  // Throws std::invalid_argument naming the field and the value.
  void Validate() const;
  // True when A1 holds and the prior is exchangeable: the structured O(v^2) path applies.
  bool HasTopicBlockStructure() const;
  std::string Describe() const;
};

// docs/MODEL.md: T = 10, v = 100 (A1), symmetric Dirichlet alpha = 0.1, N uniform on 100..150,
// masking 0.15 / 0.1 / 0.1, keys over all positions, replacements from the words.
Scenario PaperSyntheticScenario();

}  // namespace ldaformer::theory
