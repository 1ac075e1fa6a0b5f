#include "ldaformer/app/assumptions_command.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/plots.hpp"
#include "ldaformer/theory/input_file.hpp"
#include "ldaformer/theory/memory_check.hpp"

namespace ldaformer::app {

using theory::Matrix;

void AssumptionsRequest::Validate() const {
  if (corpus_path.empty() == brown_directory.empty()) {
    throw std::invalid_argument("assumptions: give exactly one of --corpus FILE and --brown DIR");
  }
  if (topics_path.empty() == (fit_lda == 0)) {
    throw std::invalid_argument("assumptions: give exactly one of --topics FILE and --fit-lda K");
  }
  ValidateSettings();
}

void AssumptionsRequest::ValidateSettings() const {
  if (fit_lda < 0) throw std::invalid_argument(fmt::format("--fit-lda must be >= 1, got {}", fit_lda));
  if (wv_relative_lambda < 0.0 || !std::isfinite(wv_relative_lambda)) {
    throw std::invalid_argument(fmt::format("--wv-lambda must be finite and > 0, got {}", wv_relative_lambda));
  }
  if (plot_words_per_topic < 1) {
    throw std::invalid_argument(fmt::format("--plot-words must be >= 1, got {}", plot_words_per_topic));
  }
  if (train_value) value_training.Validate();
  gibbs.Validate();
  thresholds.Validate();
  if (!brown_directory.empty()) brown.Validate();
}

namespace {

// The corpus's sizes against the machine, before the fit allocates: K x v topic counts and beta, documents
// x K counts and theta, and the n x n moments when W^V is solved or trained.
void RequireAssumptionsFit(const AssumptionsRequest& request, const theory::Corpus& corpus) {
  const double v = corpus.v, documents = static_cast<double>(corpus.documents.size());
  if (request.fit_lda > 0) {
    const double K = request.fit_lda;
    theory::RequireMemory(theory::DoublesBytes(3.0 * K * v + 2.0 * documents * K),
                          fmt::format("--fit-lda {} on a corpus of {} documents with v = {}", request.fit_lda,
                                      corpus.documents.size(), corpus.v));
  }
  if (request.wv_relative_lambda > 0.0 || request.train_value) {
    const double n = v + 1.0;
    theory::RequireMemory(theory::DoublesBytes(6.0 * n * n),
                          fmt::format("{} on a corpus with v = {} (the n x n moments, n = {})",
                                      request.train_value ? "--train-wv" : "--wv-lambda", corpus.v, corpus.v + 1));
  }
}

}  // namespace

AssumptionsResult RunAssumptions(const AssumptionsRequest& request) {
  request.Validate();
  theory::Corpus corpus;
  std::vector<std::string> vocabulary;
  std::string corpus_name = std::filesystem::path(request.corpus_path).filename().string();
  if (!request.brown_directory.empty()) {
    assumptions::TokenizedCorpus brown = assumptions::ReadBrownCorpus(request.brown_directory, request.brown);
    corpus = std::move(brown.corpus);
    vocabulary = std::move(brown.vocabulary);
    corpus_name = fmt::format("Brown ({} words)", corpus.v);
  } else {
    theory::RequireInputFile(request.corpus_path, "--corpus");
    corpus = theory::ReadCorpus(request.corpus_path);
  }
  Matrix beta;
  if (request.fit_lda == 0) {
    theory::RequireInputFile(request.topics_path, "--topics");
    beta = report::ReadMatrixCsv(request.topics_path);
    if (beta.cols() < corpus.v) {
      throw std::invalid_argument(fmt::format("--topics: '{}' has {} columns but the corpus uses word ids up to {}",
                                              request.topics_path, beta.cols(), corpus.v - 1));
    }
  }
  AssumptionsRequest analysed = request;
  analysed.out_directory.clear();  // written below, once the vocabulary is in
  AssumptionsResult result = AnalyseCorpus(std::move(corpus), beta, corpus_name, request.topics_path, analysed);
  result.vocabulary = std::move(vocabulary);
  if (!request.out_directory.empty()) {
    report::WriteAssumptionsReport(result, {request.thresholds.topic_mass, request.plot_words_per_topic},
                                   request.out_directory);
  }
  return result;
}

AssumptionsResult AnalyseCorpus(theory::Corpus corpus, const Matrix& beta, const std::string& corpus_name,
                                const std::string& topics_name, const AssumptionsRequest& request) {
  request.ValidateSettings();
  if (beta.size() == 0 && request.fit_lda == 0) {
    throw std::invalid_argument("assumptions: give known topics (beta) or a number of topics to fit (fit_lda)");
  }
  AssumptionsResult result;
  result.corpus = std::move(corpus);
  RequireAssumptionsFit(request, result.corpus);
  assumptions::GibbsOptions gibbs = request.gibbs;
  assumptions::TopicEstimate estimate;
  if (beta.size() == 0) {
    gibbs.topics = request.fit_lda;
    result.fit = assumptions::FitLdaGibbs(result.corpus, gibbs);
    estimate.source = fmt::format("{}, LDA (collapsed Gibbs) K={}", corpus_name, request.fit_lda);
  } else {
    if (beta.cols() < result.corpus.v) {
      throw std::invalid_argument(fmt::format("topics: beta has {} columns but the corpus uses word ids up to {}",
                                              beta.cols(), result.corpus.v - 1));
    }
    // A corpus file does not record v: the topics fix it (words beyond the largest id used are allowed).
    result.corpus.v = static_cast<int>(beta.cols());
    result.fit = assumptions::InferDocumentTopics(result.corpus, beta, gibbs);
    estimate.source = fmt::format("{}, topics from {}", corpus_name, topics_name);
  }
  estimate.beta = result.fit.beta;
  estimate.theta = result.fit.theta;
  estimate.counts = result.fit.counts;
  result.report = assumptions::ComputeAssumptionStatistics(result.corpus, estimate, request.thresholds);
  if (request.wv_relative_lambda > 0.0 || request.train_value) {
    const theory::SecondMoments moments = assumptions::CorpusSecondMoments(result.corpus);
    const std::vector<int>& word_topic = result.report.word_topic;
    if (request.wv_relative_lambda > 0.0) {
      result.value_optimum =
          assumptions::ComputeCorpusValueOptimum(moments, word_topic, result.corpus.v, request.wv_relative_lambda);
    }
    if (request.train_value) {
      result.trained_value = assumptions::TrainCorpusValue(result.corpus, word_topic, request.value_training, moments,
                                                           result.value_optimum ? &*result.value_optimum : nullptr);
    }
  }
  if (!request.out_directory.empty()) {
    report::WriteAssumptionsReport(result, {request.thresholds.topic_mass, request.plot_words_per_topic},
                                   request.out_directory);
  }
  return result;
}

}  // namespace ldaformer::app
