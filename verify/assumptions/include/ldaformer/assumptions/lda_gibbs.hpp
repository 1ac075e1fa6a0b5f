// Latent Dirichlet allocation fitted by collapsed Gibbs sampling (Griffiths & Steyvers 2004): theta and
// beta are integrated out and only the topic z of every token is sampled,
//     P(z_i = k | z_-i, w) ~ (n_dk + alpha_k) (n_kw + eta) / (n_k + v eta),
// with the counts taken without token i. With the topics held fixed at a known beta the conditional is
// (n_dk + alpha_k) beta(k, w). Optionally alpha is re-estimated during sampling by the Dirichlet-multinomial
// MLE on the document-topic counts (as Mallet does).
//
// Reproducible: sweep s draws from the Philox stream StreamFor(seed, s), and tokens are visited in corpus
// order on one thread, so the fit is a pure function of (corpus, options) and cannot depend on a thread count.
// Use it for corpora of up to a few million tokens; each sweep costs O(tokens x K).
#pragma once

#include <cstdint>
#include <vector>

#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::assumptions {

struct GibbsOptions {
  int topics = 10;                // K (ignored when the topics are fixed)
  double alpha = 0.1;             // initial document-topic concentration, per topic
  double eta = 0.01;              // topic-word concentration, per word (ignored when the topics are fixed)
  int sweeps = 300;               // passes over every token
  int burn_in = 100;              // sweeps before alpha is first re-estimated
  int optimize_alpha_every = 20;  // re-estimate alpha every this many sweeps after burn-in; 0 keeps it fixed
  bool symmetric_alpha = false;   // re-estimate one shared alpha instead of K
  std::uint64_t seed = 1;

  // Throws std::invalid_argument naming the field and the value.
  void Validate() const;
};

// The state after the last sweep, as point estimates.
struct LdaFit {
  theory::Matrix beta;    // K x v, (n_kw + eta) / (n_k + v eta); the given beta when the topics are fixed
  theory::Matrix theta;   // D x K, (n_dk + alpha_k) / (N_d + alpha_0)
  theory::Matrix counts;  // D x K, n_dk: tokens of document d assigned to topic k
  theory::Vector alpha;   // the document-topic concentration in use at the end
  // log P(w, z) after each sweep: collapsed over beta (fitted topics) or given beta (fixed topics), and
  // collapsed over theta; it rises and then fluctuates once the chain has mixed.
  std::vector<double> log_joint;
};

// Fits K topics to the corpus. Throws std::invalid_argument on bad options.
LdaFit FitLdaGibbs(const theory::Corpus& corpus, const GibbsOptions& options);

// Samples the topic assignments with the topics fixed at `beta` (K x v, rows on the simplex, v = corpus.v):
// the document-topic side of LDA for a corpus whose topics are known.
LdaFit InferDocumentTopics(const theory::Corpus& corpus, const theory::Matrix& beta, const GibbsOptions& options);

}  // namespace ldaformer::assumptions
