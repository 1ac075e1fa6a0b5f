#include "ldaformer/assumptions/assumption_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/document_prior.hpp"

namespace ldaformer::assumptions {

using theory::Matrix;
using theory::Vector;

void AssumptionThresholds::Validate() const {
  auto in_unit = [](const char* name, double x) {
    if (!(x > 0.0 && x <= 1.0))
      throw std::invalid_argument(fmt::format("thresholds.{} must be in (0, 1], got {}", name, x));
  };
  in_unit("top_topic_share", top_topic_share);
  in_unit("uniformity", uniformity);
  in_unit("topic_mass", topic_mass);
  in_unit("length_correlation", length_correlation);
  auto positive = [](const char* name, double x) {
    if (!(x > 0.0) || !std::isfinite(x))
      throw std::invalid_argument(fmt::format("thresholds.{} must be finite and > 0, got {}", name, x));
  };
  positive("max_topics_per_document", max_topics_per_document);
  positive("dirichlet_moment_error", dirichlet_moment_error);
  positive("cooccurrence_error", cooccurrence_error);
  positive("block_contrast", block_contrast);
}

Matrix EmpiricalWordPairs(const theory::Corpus& corpus, int parity) {
  Matrix pairs = Matrix::Zero(corpus.v, corpus.v);
  std::map<int, double> counts;
  int used = 0;
  for (std::size_t d = 0; d < corpus.documents.size(); ++d) {
    const auto& words = corpus.documents[d];
    if (words.size() < 2 || (parity >= 0 && static_cast<int>(d % 2) != parity)) continue;
    counts.clear();
    for (const int w : words) counts[w] += 1.0;
    const double N = static_cast<double>(words.size());
    const double scale = 1.0 / (N * (N - 1.0));
    for (const auto& [w, cw] : counts) {
      for (const auto& [u, cu] : counts) pairs(w, u) += scale * cw * (w == u ? cu - 1.0 : cu);
    }
    ++used;
  }
  if (used == 0) throw std::invalid_argument("co-occurrence: no document has 2 or more tokens");
  return pairs / used;
}

namespace {

double Entropy(const Vector& p) {
  double h = 0.0;
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    if (p[i] > 0.0) h -= p[i] * std::log(p[i]);
  }
  return h;
}

double Correlation(const Vector& x, const Vector& y) {
  const Vector xc = x.array() - x.mean();
  const Vector yc = y.array() - y.mean();
  const double denominator = xc.norm() * yc.norm();
  return denominator > 0.0 ? xc.dot(yc) / denominator : 0.0;
}

// Mean entry over pairs w != w' in the same group and in different groups.
std::pair<double, double> BlockMeans(const Matrix& M, const std::vector<int>& group) {
  double same = 0.0, different = 0.0;
  long n_same = 0, n_different = 0;
  for (Eigen::Index u = 0; u < M.cols(); ++u) {
    for (Eigen::Index w = 0; w < M.rows(); ++w) {
      if (w == u) continue;
      if (group[w] == group[u]) {
        same += M(w, u);
        ++n_same;
      } else {
        different += M(w, u);
        ++n_different;
      }
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {n_same ? same / n_same : nan, n_different ? different / n_different : nan};
}

void CheckShapes(const theory::Corpus& corpus, const TopicEstimate& estimate) {
  const auto D = static_cast<Eigen::Index>(corpus.documents.size());
  const Eigen::Index K = estimate.beta.rows();
  if (K < 1 || estimate.beta.cols() != corpus.v) {
    throw std::invalid_argument(
        fmt::format("topics: beta is {} x {} but the corpus has v={} words", K, estimate.beta.cols(), corpus.v));
  }
  if (estimate.theta.rows() != D || estimate.theta.cols() != K) {
    throw std::invalid_argument(
        fmt::format("topics: theta is {} x {} but the corpus has {} documents and beta {} topics",
                    estimate.theta.rows(), estimate.theta.cols(), D, K));
  }
  if (estimate.counts && (estimate.counts->rows() != D || estimate.counts->cols() != K)) {
    throw std::invalid_argument(fmt::format("topics: counts are {} x {}, expected {} x {}", estimate.counts->rows(),
                                            estimate.counts->cols(), D, K));
  }
  if (!estimate.beta.allFinite() || (estimate.beta.array() < 0.0).any() || !estimate.theta.allFinite() ||
      (estimate.theta.array() < 0.0).any()) {
    throw std::invalid_argument("topics: beta and theta must be finite and non-negative");
  }
}

}  // namespace

AssumptionReport ComputeAssumptionStatistics(const theory::Corpus& corpus, const TopicEstimate& estimate,
                                             const AssumptionThresholds& thresholds) {
  thresholds.Validate();
  CheckShapes(corpus, estimate);
  const Matrix& beta = estimate.beta;
  const Matrix& theta = estimate.theta;
  const int v = corpus.v;
  const int T = static_cast<int>(beta.rows());
  const int D = static_cast<int>(corpus.documents.size());

  AssumptionReport r;
  r.source = estimate.source;
  r.v = v;
  r.T = T;
  r.documents = D;
  r.tokens = static_cast<long>(corpus.TokenCount());
  r.word_frequency = Vector::Zero(v);
  for (const auto& document : corpus.documents) {
    for (const int w : document) r.word_frequency[w] += 1.0;
  }
  r.word_frequency /= static_cast<double>(r.tokens);

  // Disjointness: P(t | w) with the topics' prevalence pi.
  const Vector pi = theta.colwise().mean().transpose();
  r.top_topic_share = Vector::Zero(v);
  r.word_topic.assign(v, 0);
  for (int w = 0; w < v; ++w) {
    const Vector joint = pi.cwiseProduct(beta.col(w));
    const double total = joint.sum();
    Eigen::Index top = 0;
    const double largest = joint.maxCoeff(&top);
    r.word_topic[w] = static_cast<int>(top);
    r.top_topic_share[w] = total > 0.0 ? largest / total : 0.0;
  }
  r.mean_top_topic_share = r.word_frequency.dot(r.top_topic_share);
  r.share_of_words_above =
      r.word_frequency.dot((r.top_topic_share.array() >= thresholds.top_topic_share).cast<double>().matrix());

  // Uniformity of each topic on the words it owns.
  r.topic_uniformity = Vector::Constant(T, std::numeric_limits<double>::quiet_NaN());
  r.topic_support_mass = Vector::Zero(T);
  std::vector<int> support_size(T, 0);
  for (int w = 0; w < v; ++w) {
    ++support_size[r.word_topic[w]];
    r.topic_support_mass[r.word_topic[w]] += beta(r.word_topic[w], w);
  }
  double weight = 0.0;
  double min_uniformity = 1.0;
  int empty_topics = 0;
  for (int t = 0; t < T; ++t) {
    if (support_size[t] == 0 || !(r.topic_support_mass[t] > 0.0)) {
      ++empty_topics;
      continue;
    }
    Vector q(support_size[t]);
    for (int w = 0, i = 0; w < v; ++w) {
      if (r.word_topic[w] == t) q[i++] = beta(t, w) / r.topic_support_mass[t];
    }
    r.topic_uniformity[t] = std::exp(Entropy(q)) / support_size[t];
    min_uniformity = std::min(min_uniformity, r.topic_uniformity[t]);
    r.mean_uniformity += pi[t] * r.topic_uniformity[t];
    weight += pi[t];
  }
  r.mean_uniformity = weight > 0.0 ? r.mean_uniformity / weight : 0.0;

  // Topics per document.
  r.effective_topics.resize(D);
  r.topics_above.resize(D);
  for (int d = 0; d < D; ++d) {
    const Vector row = theta.row(d).transpose() / theta.row(d).sum();
    r.effective_topics[d] = std::exp(Entropy(row));
    r.topics_above[d] = static_cast<int>((row.array() > thresholds.topic_mass).count());
  }
  r.mean_effective_topics = r.effective_topics.mean();
  r.mean_topics_above = Eigen::Map<const Eigen::VectorXi>(r.topics_above.data(), D).cast<double>().mean();

  // Dirichlet prior, and the empirical E[theta theta^T] that both it and the block model are judged by.
  DirichletMleOptions symmetric;
  symmetric.symmetric = true;
  if (estimate.counts) {
    const Matrix& n = *estimate.counts;
    const Vector start = Vector::Constant(T, 0.1);
    r.dirichlet = FitDirichletMultinomial(n, start);
    r.symmetric_dirichlet = FitDirichletMultinomial(n, start, symmetric);
    r.theta_second_moment = Matrix::Zero(T, T);
    int used = 0;
    for (int d = 0; d < D; ++d) {
      const double N = n.row(d).sum();
      if (N < 2.0) continue;
      Matrix outer = n.row(d).transpose() * n.row(d);
      outer.diagonal() -= n.row(d).transpose();
      r.theta_second_moment += outer / (N * (N - 1.0));
      ++used;
    }
    r.theta_second_moment /= used;
  } else {
    r.dirichlet = FitDirichlet(theta);
    r.symmetric_dirichlet = FitDirichlet(theta, symmetric);
    r.theta_second_moment = theta.transpose() * theta / D;
  }
  const Matrix dirichlet_moment = theory::DocumentPrior::Dirichlet(r.dirichlet.alpha).SecondMoment();
  r.dirichlet_moment_error = (r.theta_second_moment - dirichlet_moment).norm() / r.theta_second_moment.norm();

  // Lengths, and their correlation with each topic's share.
  Vector lengths(D);
  for (int d = 0; d < D; ++d) lengths[d] = static_cast<double>(corpus.documents[d].size());
  r.mean_length = lengths.mean();
  r.sd_length = std::sqrt((lengths.array() - r.mean_length).square().mean());
  r.min_length = static_cast<int>(lengths.minCoeff());
  r.max_length = static_cast<int>(lengths.maxCoeff());
  for (int t = 0; t < T; ++t) {
    r.max_length_correlation = std::max(r.max_length_correlation, std::abs(Correlation(lengths, theta.col(t))));
  }

  // Co-occurrence against the block model.
  r.empirical_p2 = EmpiricalWordPairs(corpus);
  r.model_p2 = beta.transpose() * r.theta_second_moment * beta;
  const double scale = r.empirical_p2.norm();
  r.cooccurrence_error = (r.empirical_p2 - r.model_p2).norm() / scale;
  r.cooccurrence_noise = D >= 4 ? (EmpiricalWordPairs(corpus, 0) - EmpiricalWordPairs(corpus, 1)).norm() / (2.0 * scale)
                                : std::numeric_limits<double>::quiet_NaN();
  const auto [same, different] = BlockMeans(r.empirical_p2, r.word_topic);
  const auto [model_same, model_different] = BlockMeans(r.model_p2, r.word_topic);
  r.empirical_contrast = same / different;
  r.model_contrast = model_same / model_different;

  const auto& th = thresholds;
  r.verdicts = {
      {"topic-word disjointness", r.mean_top_topic_share,
       fmt::format("freq-weighted mean top-topic share >= {:g}", th.top_topic_share),
       fmt::format("{:.1f}% of word mass has share >= {:g}", 100.0 * r.share_of_words_above, th.top_topic_share),
       r.mean_top_topic_share >= th.top_topic_share},
      {"within-topic uniformity", r.mean_uniformity,
       fmt::format("mean exp-entropy / support size >= {:g}", th.uniformity),
       fmt::format("min {:.3f}; topics keep {:.1f}% of their mass on their own words; {} topic(s) own no word",
                   min_uniformity, 100.0 * r.topic_support_mass.mean(), empty_topics),
       r.mean_uniformity >= th.uniformity},
      {"topics per document", r.mean_topics_above,
       fmt::format("mean #topics with theta > {:g} <= {:g}", th.topic_mass, th.max_topics_per_document),
       fmt::format("mean exp-entropy of theta {:.2f}", r.mean_effective_topics),
       r.mean_topics_above <= th.max_topics_per_document},
      {"Dirichlet prior", r.dirichlet_moment_error,
       fmt::format("Dir(alpha_hat) fits E[theta theta^T] to rel. error <= {:g}", th.dirichlet_moment_error),
       fmt::format("alpha_0 = {:.4g}, alpha in [{:.4g}, {:.4g}]; symmetric alpha = {:.4g}{}", r.dirichlet.Alpha0(),
                   r.dirichlet.alpha.minCoeff(), r.dirichlet.alpha.maxCoeff(), r.symmetric_dirichlet.alpha[0],
                   estimate.counts ? " (from topic counts)" : " (from theta)"),
       r.dirichlet_moment_error <= th.dirichlet_moment_error && r.dirichlet.converged},
      {"document lengths", r.max_length_correlation,
       fmt::format("N independent of theta: max_k |corr(N, theta_k)| <= {:g}", th.length_correlation),
       fmt::format("N = {:.1f} +- {:.1f} (cv {:.3f}), range {}..{}", r.mean_length, r.sd_length,
                   r.sd_length / r.mean_length, r.min_length, r.max_length),
       r.max_length_correlation <= th.length_correlation},
      {"co-occurrence vs block model P2", r.cooccurrence_error,
       fmt::format("rel. Frobenius error <= max({:g}, 2 x noise floor)", th.cooccurrence_error),
       fmt::format("split-half noise floor {:.4f}", r.cooccurrence_noise),
       r.cooccurrence_error <= std::max(th.cooccurrence_error, 2.0 * r.cooccurrence_noise)},
      {"co-occurrence block contrast", r.empirical_contrast,
       fmt::format("same-topic / different-topic mean > {:g}", th.block_contrast),
       fmt::format("block model {:.3f}", r.model_contrast), r.empirical_contrast > th.block_contrast},
  };
  return r;
}

std::string FormatAssumptionTable(const AssumptionReport& report) {
  std::string out = fmt::format("{}: v={} words, T={} topics, {} documents, {} tokens\n", report.source, report.v,
                                report.T, report.documents, report.tokens);
  out += fmt::format("{:<33} {:>10}  {:<7} {}\n", "assumption", "value", "verdict", "criterion; detail");
  for (const AssumptionVerdict& verdict : report.verdicts) {
    out += fmt::format("{:<33} {:>10.4g}  {:<7} {}; {}\n", verdict.name, verdict.value,
                       verdict.holds ? "holds" : "FAILS", verdict.criterion, verdict.detail);
  }
  return out;
}

}  // namespace ldaformer::assumptions
