// Linear-algebra types and token conventions shared by every ldaformer module.
#pragma once

#include <Eigen/Dense>

namespace ldaformer::theory {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

// The largest sizes outside input may ask for. They keep n = v + num_special and n^2 far from overflow;
// what a command can actually hold is checked against the machine's memory (memory_check.hpp).
constexpr int kMaxVocabulary = 10'000'000;  // words v (and a corpus's largest word id + 1)
constexpr int kMaxSpecialTokens = 1000;     // MASK and the other special tokens
constexpr int kMaxTopics = 1'000'000;       // topics T

// The token space: words 0..v-1, then the special tokens. The first special token (index v) is MASK;
// further specials (PAD, START, END in the authors' code) only matter as random replacements and as
// logits. One-hot inputs live in R^n with n = v + num_special.
struct TokenSpace {
  int v = 0;            // number of words
  int num_special = 1;  // MASK plus any others

  int n() const { return v + num_special; }
  int mask() const { return v; }
};

}  // namespace ldaformer::theory
