// The report of `ldaformer assumptions`: its JSON, the report directory (topics, theta, the tokenised
// corpus, a histogram and sorted heatmaps) and the text lines of the W^V optimum and the trained W^V.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/assumptions/assumption_statistics.hpp"
#include "ldaformer/assumptions/brown_corpus.hpp"
#include "ldaformer/assumptions/corpus_value_optimum.hpp"
#include "ldaformer/assumptions/lda_gibbs.hpp"
#include "ldaformer/assumptions/trained_value.hpp"
#include "ldaformer/theory/corpus.hpp"

namespace ldaformer::report {

// What `ldaformer assumptions` found on a corpus.
struct AssumptionsResult {
  theory::Corpus corpus;
  std::vector<std::string> vocabulary;  // empty unless the corpus came with words (Brown)
  assumptions::LdaFit fit;              // the Gibbs state the statistics use
  assumptions::AssumptionReport report;
  std::optional<assumptions::CorpusValueOptimum> value_optimum;
  std::optional<assumptions::TrainedValue> trained_value;
  std::vector<std::string> files;  // written to the report directory
};

// How the plots are labelled and cut down.
struct AssumptionsPlotOptions {
  double topic_mass = 0.0;   // the theta threshold the topics-per-document histogram counts
  int words_per_topic = 15;  // the heatmaps show this many top words per topic when v > 300
};

nlohmann::json ToJson(const AssumptionsResult& result);

// Writes topics.csv, theta.csv, (for a corpus with words) corpus.txt, vocabulary.txt, top_words.txt,
// assumptions.json, and when gnuplot runs the histogram and heatmaps, into `directory` (created if
// missing); appends each file to result.files.
void WriteAssumptionsReport(AssumptionsResult& result, const AssumptionsPlotOptions& options,
                            const std::string& directory);

// Words ordered by topic (the topic that owns them, see assumptions::AssumptionReport::word_topic), each
// topic's words by decreasing beta; at most `per_topic` words per topic (0: all).
std::vector<int> WordsByTopic(const assumptions::AssumptionReport& report, const theory::Matrix& beta, int per_topic);

// The block-structure lines of the W^V optimum for the text report.
std::string FormatValueOptimum(const assumptions::CorpusValueOptimum& optimum);
// The same lines for the trained W^V, with its training and its distance to the optimum.
std::string FormatTrainedValue(const assumptions::TrainedValue& trained);

}  // namespace ldaformer::report
