#include "ldaformer/assumptions/corpus_value_optimum.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/assumptions/assumption_statistics.hpp"
#include "ldaformer/solvers/closed_forms.hpp"

namespace ldaformer::assumptions {

theory::SecondMoments CorpusSecondMoments(const theory::Corpus& corpus, const theory::Masking& masking) {
  const theory::Matrix pairs = EmpiricalWordPairs(corpus);
  theory::Vector p1 = theory::Vector::Zero(corpus.v);
  std::map<int, double> length_counts;
  const double D = static_cast<double>(corpus.documents.size());
  for (const auto& document : corpus.documents) {
    for (const int w : document) p1[w] += 1.0 / (document.size() * D);
    length_counts[static_cast<int>(document.size())] += 1.0 / D;
  }
  std::vector<int> lengths;
  std::vector<double> probs;
  for (const auto& [N, p] : length_counts) {
    lengths.push_back(N);
    probs.push_back(p);
  }
  return theory::ExactSecondMoments(p1, pairs, theory::TokenSpace{corpus.v, 1},
                                    theory::LengthDistribution::Pmf(lengths, probs), masking);
}

double MeanEigenvalue(const theory::SecondMoments& moments) { return moments.C.trace() / moments.C.rows(); }

CorpusValueOptimum ComputeCorpusValueOptimum(const theory::SecondMoments& moments, const std::vector<int>& word_topic,
                                             int v, double relative_lambda) {
  if (!(relative_lambda > 0.0) || !std::isfinite(relative_lambda)) {
    throw std::invalid_argument(fmt::format("--wv-lambda must be finite and > 0, got {}", relative_lambda));
  }
  if (static_cast<int>(word_topic.size()) != v) {
    throw std::invalid_argument(fmt::format("W^V optimum: {} word topics for v={} words", word_topic.size(), v));
  }
  CorpusValueOptimum out;
  out.relative_lambda = relative_lambda;
  out.lambda = relative_lambda * MeanEigenvalue(moments);
  out.W = solvers::OptimalValueMatrix(moments, out.lambda);
  out.block = claims::MeasureBlockStructure(out.W, word_topic, v);
  return out;
}

CorpusValueOptimum ComputeCorpusValueOptimum(const theory::Corpus& corpus, const std::vector<int>& word_topic,
                                             double relative_lambda, const theory::Masking& masking) {
  return ComputeCorpusValueOptimum(CorpusSecondMoments(corpus, masking), word_topic, corpus.v, relative_lambda);
}

}  // namespace ldaformer::assumptions
