#include "ldaformer/assumptions/lda_gibbs.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/assumptions/dirichlet_mle.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/rng.hpp"

namespace ldaformer::assumptions {

using theory::Matrix;
using theory::Vector;

void GibbsOptions::Validate() const {
  if (topics < 1) throw std::invalid_argument(fmt::format("lda.topics must be >= 1, got {}", topics));
  if (!(alpha > 0.0) || !std::isfinite(alpha)) {
    throw std::invalid_argument(fmt::format("lda.alpha must be finite and > 0, got {}", alpha));
  }
  if (!(eta > 0.0) || !std::isfinite(eta)) {
    throw std::invalid_argument(fmt::format("lda.eta must be finite and > 0, got {}", eta));
  }
  if (sweeps < 0) throw std::invalid_argument(fmt::format("lda.sweeps must be >= 0, got {}", sweeps));
  if (burn_in < 0) throw std::invalid_argument(fmt::format("lda.burn_in must be >= 0, got {}", burn_in));
  if (optimize_alpha_every < 0) {
    throw std::invalid_argument(fmt::format("lda.optimize_alpha_every must be >= 0, got {}", optimize_alpha_every));
  }
}

namespace {

// A uniform double in [0, 1) from the top 53 bits of one Philox output.
double Uniform01(theory::Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// The sampler state: token topics z and the count tables n_dk, n_kw (word-major, so one token's K
// counts are contiguous), n_k.
class GibbsChain {
 public:
  GibbsChain(const theory::Corpus& corpus, int K, const GibbsOptions& options, const Matrix* fixed_beta)
      : corpus_(corpus),
        K_(K),
        options_(options),
        fixed_beta_(fixed_beta),
        alpha_(Vector::Constant(K, options.alpha)),
        n_dk_(corpus.documents.size() * K, 0),
        n_wk_(static_cast<std::size_t>(corpus.v) * K, 0),
        n_k_(K, 0),
        weights_(K) {
    theory::Rng rng = theory::StreamFor(options.seed, 0);
    z_.resize(corpus.documents.size());
    for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
      z_[d].resize(corpus.documents[d].size());
      for (std::size_t i = 0; i < z_[d].size(); ++i) {
        const int k = static_cast<int>(Uniform01(rng) * K);
        z_[d][i] = k;
        Add(d, corpus.documents[d][i], k, +1);
      }
    }
  }

  void Sweep(int sweep) {
    theory::Rng rng = theory::StreamFor(options_.seed, static_cast<std::uint64_t>(sweep) + 1);
    const double v_eta = corpus_.v * options_.eta;
    for (std::size_t d = 0; d < corpus_.documents.size(); ++d) {
      const auto& words = corpus_.documents[d];
      int* n_d = &n_dk_[d * K_];
      for (std::size_t i = 0; i < words.size(); ++i) {
        const int w = words[i];
        Add(d, w, z_[d][i], -1);
        const int* n_w = &n_wk_[static_cast<std::size_t>(w) * K_];
        double total = 0.0;
        for (int k = 0; k < K_; ++k) {
          const double word_given_topic =
              fixed_beta_ ? (*fixed_beta_)(k, w) : (n_w[k] + options_.eta) / (n_k_[k] + v_eta);
          total += (n_d[k] + alpha_[k]) * word_given_topic;
          weights_[k] = total;
        }
        const double u = Uniform01(rng) * total;
        int k = 0;
        while (k < K_ - 1 && weights_[k] <= u) ++k;
        z_[d][i] = k;
        Add(d, w, k, +1);
      }
    }
  }

  void ReestimateAlpha() {
    DirichletMleOptions mle;
    mle.symmetric = options_.symmetric_alpha;
    alpha_ = FitDirichletMultinomial(DocumentTopicCounts(), alpha_, mle).alpha;
  }

  Matrix DocumentTopicCounts() const {
    Matrix counts(corpus_.documents.size(), K_);
    for (std::size_t d = 0; d < corpus_.documents.size(); ++d) {
      for (int k = 0; k < K_; ++k) counts(d, k) = n_dk_[d * K_ + k];
    }
    return counts;
  }

  // log P(z | alpha) + log P(w | z), with P(w | z) collapsed over beta ~ Dir(eta) or at the fixed beta.
  double LogJoint() const {
    const double a0 = alpha_.sum();
    double total = 0.0;
    for (std::size_t d = 0; d < corpus_.documents.size(); ++d) {
      total += std::lgamma(a0) - std::lgamma(corpus_.documents[d].size() + a0);
      for (int k = 0; k < K_; ++k) total += std::lgamma(n_dk_[d * K_ + k] + alpha_[k]) - std::lgamma(alpha_[k]);
    }
    const int v = corpus_.v;
    for (int k = 0; k < K_; ++k) {
      if (!fixed_beta_) total += std::lgamma(v * options_.eta) - std::lgamma(n_k_[k] + v * options_.eta);
      for (int w = 0; w < v; ++w) {
        const int n = n_wk_[static_cast<std::size_t>(w) * K_ + k];
        if (fixed_beta_) {
          if (n > 0) total += n * std::log((*fixed_beta_)(k, w));
        } else {
          total += std::lgamma(n + options_.eta) - std::lgamma(options_.eta);
        }
      }
    }
    return total;
  }

  LdaFit Result(std::vector<double> log_joint) const {
    LdaFit fit;
    fit.counts = DocumentTopicCounts();
    fit.alpha = alpha_;
    fit.theta = (fit.counts.rowwise() + alpha_.transpose());
    fit.theta.array().colwise() /= fit.theta.rowwise().sum().array();
    if (fixed_beta_) {
      fit.beta = *fixed_beta_;
    } else {
      fit.beta.resize(K_, corpus_.v);
      const double v_eta = corpus_.v * options_.eta;
      for (int k = 0; k < K_; ++k) {
        for (int w = 0; w < corpus_.v; ++w) {
          fit.beta(k, w) = (n_wk_[static_cast<std::size_t>(w) * K_ + k] + options_.eta) / (n_k_[k] + v_eta);
        }
      }
    }
    fit.log_joint = std::move(log_joint);
    return fit;
  }

 private:
  void Add(std::size_t d, int w, int k, int delta) {
    n_dk_[d * K_ + k] += delta;
    n_wk_[static_cast<std::size_t>(w) * K_ + k] += delta;
    n_k_[k] += delta;
  }

  const theory::Corpus& corpus_;
  const int K_;
  const GibbsOptions options_;
  const Matrix* fixed_beta_;  // column-major, so a word's K topic probabilities are contiguous
  Vector alpha_;
  std::vector<std::vector<int>> z_;
  std::vector<int> n_dk_, n_wk_, n_k_;
  std::vector<double> weights_;
};

LdaFit Run(const theory::Corpus& corpus, int K, const GibbsOptions& options, const Matrix* fixed_beta) {
  options.Validate();
  if (corpus.v < 1 || corpus.documents.empty()) {
    throw std::invalid_argument(fmt::format("lda: the corpus needs words and documents, got v={} and {} documents",
                                            corpus.v, corpus.documents.size()));
  }
  GibbsChain chain(corpus, K, options, fixed_beta);
  std::vector<double> log_joint;
  for (int sweep = 0; sweep < options.sweeps; ++sweep) {
    theory::CheckCancellation();
    chain.Sweep(sweep);
    const int after_burn_in = sweep + 1 - options.burn_in;
    if (options.optimize_alpha_every > 0 && after_burn_in > 0 && after_burn_in % options.optimize_alpha_every == 0) {
      chain.ReestimateAlpha();
    }
    log_joint.push_back(chain.LogJoint());
  }
  return chain.Result(std::move(log_joint));
}

}  // namespace

LdaFit FitLdaGibbs(const theory::Corpus& corpus, const GibbsOptions& options) {
  return Run(corpus, options.topics, options, nullptr);
}

LdaFit InferDocumentTopics(const theory::Corpus& corpus, const Matrix& beta, const GibbsOptions& options) {
  if (beta.cols() != corpus.v || beta.rows() < 1) {
    throw std::invalid_argument(
        fmt::format("topics: beta is {} x {} but the corpus has v={} words", beta.rows(), beta.cols(), corpus.v));
  }
  if (!beta.allFinite() || (beta.array() < 0.0).any() || ((beta.rowwise().sum().array() - 1.0).abs() > 1e-6).any()) {
    throw std::invalid_argument("topics: every row of beta must be a distribution (finite, >= 0, summing to 1)");
  }
  const Vector word_mass = beta.colwise().sum().transpose();
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    for (const int w : corpus.documents[d]) {
      if (!(word_mass[w] > 0.0)) {
        throw std::invalid_argument(
            fmt::format("topics: word {} (in document {}) has probability 0 under every topic", w, d));
      }
    }
  }
  return Run(corpus, static_cast<int>(beta.rows()), options, &beta);
}

}  // namespace ldaformer::assumptions
