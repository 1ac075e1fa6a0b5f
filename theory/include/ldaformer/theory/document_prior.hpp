// The document-topic prior P_theta on the simplex.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// A prior over theta in the (T-1)-simplex, with its exact first and second moments where they exist.
struct DocumentPrior {
  enum class Kind {
    kDirichlet,      // Dirichlet(alpha), alpha a T-vector (symmetric when all entries are equal)
    kUniformSubset,  // k of the T topics chosen uniformly at random, each with weight 1/k
    kSampler,        // a user sampler, with optional exact moments
  };

  Kind kind = Kind::kDirichlet;
  int T = 0;
  Vector alpha;                           // kDirichlet
  int k = 1;                              // kUniformSubset
  std::function<Vector(Rng&)> sampler;    // kSampler: returns a T-vector on the simplex
  std::optional<Vector> mean_override;    // kSampler: E[theta], if known
  std::optional<Matrix> second_override;  // kSampler: E[theta theta^T], if known

  // Named constructors validate and throw std::invalid_argument naming the field and the value.
  static DocumentPrior SymmetricDirichlet(int T, double alpha);
  static DocumentPrior Dirichlet(const Vector& alpha);
  static DocumentPrior UniformSubset(int T, int k);
  static DocumentPrior FromSampler(int T, std::function<Vector(Rng&)> sampler,
                                   std::optional<Vector> mean = std::nullopt,
                                   std::optional<Matrix> second_moment = std::nullopt);

  // E[theta]. Throws std::logic_error for a sampler prior without a known mean.
  Vector Mean() const;
  // E[theta theta^T]. Throws std::logic_error for a sampler prior without a known second moment.
  Matrix SecondMoment() const;
  // True when the exact moments are available (every kind but a sampler without overrides).
  bool HasExactMoments() const;
  // True when the law of theta is invariant under permuting topics (symmetric Dirichlet, uniform
  // subset): then E[theta theta^T] = s11 J + (s2 - s11) I, which the structured fast path needs.
  bool IsExchangeable() const;

  Vector Sample(Rng& rng) const;
  std::string Describe() const;
};

// The prior.kind names of a scenario file. A sampler prior is built in code and has no name there.
template <>
inline const NameTable<DocumentPrior::Kind> kNames<DocumentPrior::Kind> = {
    {DocumentPrior::Kind::kDirichlet, "dirichlet"}, {DocumentPrior::Kind::kUniformSubset, "uniform_subset"}};

}  // namespace ldaformer::theory
