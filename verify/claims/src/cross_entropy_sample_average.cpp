#include "ldaformer/claims/cross_entropy_sample_average.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/solvers/linear_objective.hpp"
#include "ldaformer/theory/document_sampler.hpp"

namespace ldaformer::claims {

using theory::Matrix;
using theory::Vector;

solvers::LinearSolveResult SolveCrossEntropySampleAverage(const theory::Scenario& scenario,
                                                          const VerifyOptions& options) {
  const auto objective =
      solvers::SampleAverageObjective(scenario, theory::LossKind::kCrossEntropy, options.saa_documents, options.seed);
  solvers::LinearSolveOptions solve;
  solve.lambda = options.lambda;
  solve.max_iterations = 500;
  solve.gradient_tolerance = 1e-8;
  solve.function_tolerance = 1e-12;
  solve.seed = options.seed;
  return solvers::SolveLinearPredictor(*objective, solve);
}

namespace {

// One document as the objective sees it: its key average xbar (sparse) and its selected words' counts.
struct Document {
  std::vector<std::pair<int, double>> xbar;
  std::vector<std::pair<int, double>> targets;
  double selected = 0.0;  // s_d
};

// The objective's documents (as solvers::SampleAverageObjective builds them: keys by the masking's key
// set, documents without a selected position dropped).
std::vector<Document> Documents(const theory::Scenario& scenario, const VerifyOptions& options) {
  const theory::DocumentSampler sampler(scenario);
  const bool all_keys = scenario.masking.keys == theory::KeySet::kAllPositions;
  const int n = scenario.tokens().n();
  std::vector<Document> out;
  Vector keys(n), targets(n);
  for (std::uint64_t d = 0; d < options.saa_documents; ++d) {
    const theory::MaskedDocument doc = sampler.Sample(options.seed, d);
    keys.setZero();
    targets.setZero();
    for (int i = 0; i < doc.N(); ++i) {
      if (doc.selected[i]) targets[doc.words[i]] += 1.0;
      if (all_keys || !doc.selected[i]) keys[doc.inputs[i]] += 1.0;
    }
    Document document;
    for (int t = 0; t < n; ++t) {
      if (keys[t] > 0) document.xbar.emplace_back(t, keys[t] / keys.sum());
      if (targets[t] > 0) document.targets.emplace_back(t, targets[t]);
    }
    document.selected = targets.sum();
    if (document.selected > 0) out.push_back(std::move(document));
  }
  return out;
}

Vector Apply(const Matrix& M, const Document& doc) {
  Vector y = Vector::Zero(M.rows());
  for (const auto& [token, weight] : doc.xbar) y += weight * M.col(token);
  return y;
}

void AddOuter(const Vector& dy, const Document& doc, Matrix& out) {
  for (const auto& [token, weight] : doc.xbar) out.col(token) += weight * dy;
}

// Softmax probabilities p = softmax(M xbar) of every document at M_hat, computed once.
struct Point {
  std::vector<Vector> p;
  double loss = 0.0;  // mean cross-entropy per selected position
};

Point Evaluate(const Matrix& M, const std::vector<Document>& documents) {
  Point point;
  double total = 0.0, selected = 0.0;
  for (const Document& doc : documents) {
    const Vector y = Apply(M, doc);
    const double shift = y.maxCoeff();
    const double log_partition = shift + std::log((y.array() - shift).exp().sum());
    for (const auto& [word, c] : doc.targets) total += c * (log_partition - y[word]);
    selected += doc.selected;
    point.p.push_back((y.array() - log_partition).exp().matrix());
  }
  point.loss = total / selected;
  return point;
}

// H V: the Hessian of (1/S) sum_d l_d + lambda ||M||^2 applied to V. For a document,
// d^2 l_d = s_d (diag p - p p^T) on dy = V xbar, pulled back by xbar^T.
Matrix HessianTimes(const Matrix& V, const std::vector<Document>& documents, const Point& point, double S,
                    double lambda) {
  Matrix out = Matrix::Zero(V.rows(), V.cols());
  for (size_t d = 0; d < documents.size(); ++d) {
    const Vector& p = point.p[d];
    const Vector dy = Apply(V, documents[d]);
    AddOuter(documents[d].selected * (p.cwiseProduct(dy) - p * p.dot(dy)), documents[d], out);
  }
  return out / S + 2 * lambda * V;
}

// u = H^-1 F by conjugate gradients (H is positive definite: lambda > 0, or the loss strictly convex on
// the sample's span). Stops at a residual of 1e-10 ||F|| or after 10 n iterations.
Matrix SolveHessian(const Matrix& F, const std::vector<Document>& documents, const Point& point, double S,
                    double lambda) {
  Matrix u = Matrix::Zero(F.rows(), F.cols());
  Matrix r = F, direction = F;
  double rr = r.squaredNorm();
  const double stop = 1e-20 * F.squaredNorm();
  for (Eigen::Index k = 0; k < 10 * F.rows() && rr > stop; ++k) {
    const Matrix Hd = HessianTimes(direction, documents, point, S, lambda);
    const double step = rr / direction.cwiseProduct(Hd).sum();
    u += step * direction;
    r -= step * Hd;
    const double rr_next = r.squaredNorm();
    direction = r + (rr_next / rr) * direction;
    rr = rr_next;
  }
  return u;
}

}  // namespace

double CrossEntropyStandardError(const theory::Scenario& scenario, const VerifyOptions& options, const Matrix& M_hat,
                                 double loss, const Matrix& F) {
  const std::vector<Document> documents = Documents(scenario, options);
  const Point point = Evaluate(M_hat, documents);
  if (!(std::abs(point.loss - loss) <= 1e-9 * std::max(1.0, std::abs(loss)))) {
    throw std::logic_error(
        fmt::format("cross-entropy standard error: the loss on the rebuilt documents is {}, the "
                    "solve's is {}: not the objective's documents",
                    point.loss, loss));
  }
  double S = 0.0;
  for (const Document& doc : documents) S += doc.selected;
  const Matrix u = SolveHessian(F, documents, point, S, options.lambda);
  // u . psi_d = u . (s_d p_d - c_d) xbar_d^T + 2 lambda s_d u . M_hat = (u xbar_d) . (s_d p_d - c_d) + ...
  const double uM = 2 * options.lambda * u.cwiseProduct(M_hat).sum();
  std::vector<double> influence;
  double mean = 0.0;
  for (size_t d = 0; d < documents.size(); ++d) {
    const Document& doc = documents[d];
    Vector residual = doc.selected * point.p[d];
    for (const auto& [word, c] : doc.targets) residual[word] -= c;
    influence.push_back(Apply(u, doc).dot(residual) + doc.selected * uM);
    mean += influence.back();
  }
  const double D = static_cast<double>(influence.size());
  mean /= D;
  double sum_squares = 0.0;
  for (const double a : influence) sum_squares += (a - mean) * (a - mean);
  return std::sqrt(sum_squares * D / (D - 1)) / S;
}

}  // namespace ldaformer::claims
