// How far a corpus satisfies the assumptions the paper's theorems rest on (docs/MODEL.md, docs/ASSUMPTIONS.md).
//
// Every statistic comes with a number and a verdict against a stated threshold:
//   - topic-word disjointness (A1): for each word w, the share of its mass in its top topic,
//       s_w = max_t P(t | w),  P(t | w) ~ pi_t beta(t, w),  pi = mean_d theta_d;
//   - within-topic uniformity (A1): for each topic, exp(entropy) / size of beta restricted to the words
//     whose top topic it is (1 iff uniform on that support);
//   - topics per document: exp(entropy(theta_d)) and the number of topics with theta_dk > topic_mass;
//   - the Dirichlet prior: the MLE alpha (Minka's fixed point), and whether Dir(alpha) reproduces the
//     empirical E[theta theta^T];
//   - document lengths: their spread, and whether N is independent of theta (correlations);
//   - co-occurrence: the empirical within-document word-pair law P2_hat against the block model
//     P2 = beta^T E[theta theta^T] beta (relative error, with a split-half noise floor), and the block
//     contrast (mean same-topic vs different-topic entry, words grouped by their top topic).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ldaformer/assumptions/dirichlet_mle.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::assumptions {

// What is known about the corpus' topics: the truth of a sampled corpus, or an LDA fit.
struct TopicEstimate {
  std::string source;    // e.g. "true topics" or "LDA (collapsed Gibbs), K=20"
  theory::Matrix beta;   // K x v topic-word matrix
  theory::Matrix theta;  // D x K document-topic proportions
  // D x K token-topic counts of a Gibbs sample. When given, the Dirichlet MLE uses the Dirichlet-multinomial
  // likelihood of the counts and E[theta theta^T] is estimated without bias from them,
  //   mean_d (n_d n_d^T - diag n_d) / (N_d (N_d - 1)),
  // instead of using the point estimates `theta` (which LDA smooths towards alpha).
  std::optional<theory::Matrix> counts;
};

// The verdict thresholds. Each comment is the test that makes a statistic hold.
struct AssumptionThresholds {
  double top_topic_share = 0.9;          // frequency-weighted mean of s_w >= top_topic_share
  double uniformity = 0.9;               // prevalence-weighted mean topic uniformity >= uniformity
  double topic_mass = 0.1;               // a topic counts in a document when theta_dk > topic_mass
  double max_topics_per_document = 3.0;  // mean count of such topics <= max_topics_per_document
  double dirichlet_moment_error = 0.1;   // ||S_hat - S_Dir(alpha_hat)||_F / ||S_hat||_F <= this
  double length_correlation = 0.3;       // max_k |corr(N_d, theta_dk)| <= this
  double cooccurrence_error = 0.1;       // relative error <= max(cooccurrence_error, 2 x noise floor)
  double block_contrast = 1.0;           // same-topic mean / different-topic mean > block_contrast

  // Throws std::invalid_argument naming the field and the value.
  void Validate() const;
};

// One row of the report table.
struct AssumptionVerdict {
  std::string name;       // e.g. "topic-word disjointness"
  double value = 0.0;     // the number the verdict is about
  std::string criterion;  // e.g. "weighted mean share >= 0.9"
  std::string detail;     // further numbers
  bool holds = false;
};

struct AssumptionReport {
  std::string source;
  int v = 0, T = 0, documents = 0;
  long tokens = 0;
  theory::Vector word_frequency;  // v, empirical P(w)
  std::vector<int> word_topic;    // v, the top topic of each word (argmax_t P(t | w))

  // Disjointness.
  theory::Vector top_topic_share;     // v, s_w
  double mean_top_topic_share = 0.0;  // weighted by word_frequency
  double share_of_words_above = 0.0;  // mass of words with s_w >= the threshold
  // Uniformity.
  theory::Vector topic_uniformity;    // T, NaN for a topic that is no word's top topic
  theory::Vector topic_support_mass;  // T, beta_t's mass on its own support
  double mean_uniformity = 0.0;       // weighted by topic prevalence pi over non-empty topics
  // Topics per document.
  theory::Vector effective_topics;  // D, exp(entropy(theta_d))
  std::vector<int> topics_above;    // D, #{k : theta_dk > topic_mass}
  double mean_effective_topics = 0.0, mean_topics_above = 0.0;
  // Dirichlet prior.
  DirichletFit dirichlet;              // asymmetric MLE
  DirichletFit symmetric_dirichlet;    // one shared alpha
  theory::Matrix theta_second_moment;  // S_hat = empirical E[theta theta^T]
  double dirichlet_moment_error = 0.0;
  // Lengths.
  double mean_length = 0.0, sd_length = 0.0;
  int min_length = 0, max_length = 0;
  double max_length_correlation = 0.0;
  // Co-occurrence.
  theory::Matrix empirical_p2;      // v x v, P2_hat
  theory::Matrix model_p2;          // v x v, beta^T S_hat beta
  double cooccurrence_error = 0.0;  // ||P2_hat - P2||_F / ||P2_hat||_F
  double cooccurrence_noise = 0.0;  // ||P2_hat(even docs) - P2_hat(odd docs)||_F / (2 ||P2_hat||_F)
  double empirical_contrast = 0.0, model_contrast = 0.0;

  std::vector<AssumptionVerdict> verdicts;
};

// Computes every statistic. Throws std::invalid_argument when the shapes of `estimate` do not fit the
// corpus (beta K x v, theta D x K, counts D x K) or the corpus has fewer than 2 documents of 2+ tokens.
AssumptionReport ComputeAssumptionStatistics(const theory::Corpus& corpus, const TopicEstimate& estimate,
                                             const AssumptionThresholds& thresholds = {});

// The empirical within-document word-pair law: mean over documents with N_d >= 2 of
// (c_d c_d^T - diag c_d) / (N_d (N_d - 1)), c_d the word counts; an unbiased estimate of E[e_w e_w'^T]
// for two distinct positions. `parity` 0 or 1 averages only the even or odd documents; -1 all of them.
theory::Matrix EmpiricalWordPairs(const theory::Corpus& corpus, int parity = -1);

// The report as an aligned text table, one row per verdict.
std::string FormatAssumptionTable(const AssumptionReport& report);

}  // namespace ldaformer::assumptions
