// The exact T2 optimum W^V* = A (C + lambda I)^-1 (solvers/closed_forms.hpp) under a corpus' own word laws,
// with one-hot embedding, uniform attention and the identity decoder, measured for block structure by the
// corpus' LDA topics. It is the optimum, not a trained model; trained_value.hpp trains one and compares.
//
// The moments A, C come from theory::ExactSecondMoments on the corpus' word laws: p1 = mean_d c_d / N_d and
// the within-document pair law P2 = mean_d (c_d c_d^T - diag c_d) / (N_d (N_d - 1)) (EmpiricalWordPairs),
// with the corpus' length pmf and the given masking. This treats the pair law as the same for every length,
// which is exact when all documents have one length and otherwise an approximation (Brown: cv 0.11).
// Drawing the words of a document i.i.d. from its frequencies instead would add diag(c_d) / N_d^2 to P2,
// a spurious same-word signal to which the optimum is sensitive at small lambda.
#pragma once

#include <vector>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/masking.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::assumptions {

// A and C of the corpus' word laws (one special token, MASK). Throws std::invalid_argument when no
// document has 2 or more tokens.
theory::SecondMoments CorpusSecondMoments(const theory::Corpus& corpus, const theory::Masking& masking = {});

struct CorpusValueOptimum {
  double relative_lambda = 0.0;  // lambda / (tr C / n)
  double lambda = 0.0;           // the penalty used
  theory::Matrix W;              // n x n, W^V* = A (C + lambda I)^-1
  claims::BlockStructure block;  // of W by the given word topics
};

// tr(C) / n, C's mean eigenvalue: lambda = relative_lambda x this, so "small" means the same on any
// vocabulary.
double MeanEigenvalue(const theory::SecondMoments& moments);

// The optimum with lambda = relative_lambda x tr(C) / n for moments of v words (plus special tokens).
// Throws std::invalid_argument when relative_lambda <= 0 or word_topic does not have v labels.
CorpusValueOptimum ComputeCorpusValueOptimum(const theory::SecondMoments& moments, const std::vector<int>& word_topic,
                                             int v, double relative_lambda);
// The same on CorpusSecondMoments(corpus, masking).
CorpusValueOptimum ComputeCorpusValueOptimum(const theory::Corpus& corpus, const std::vector<int>& word_topic,
                                             double relative_lambda, const theory::Masking& masking = {});

}  // namespace ldaformer::assumptions
