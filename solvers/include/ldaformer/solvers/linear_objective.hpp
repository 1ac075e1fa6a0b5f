// Objectives of the uniform-attention linear predictor y = M xbar (one-hot embedding, uniform attention):
// the quantity that T1 and T2 minimise, through different parametrisations of M (linear_solver.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// A loss L(M) per selected token, with its gradient dL/dM (n x n).
class LinearObjective {
 public:
  virtual ~LinearObjective() = default;
  virtual int n() const = 0;
  // L(M); writes dL/dM when `gradient` is non-null.
  virtual double Evaluate(const theory::Matrix& M, theory::Matrix* gradient) const = 0;
};

// The exact squared population loss tr(M C M^T) - 2 <M, A>_F + 1 from the scenario's exact moments,
// structured (O(n^2) per evaluation) when the scenario has the topic-block symmetry, dense otherwise.
std::unique_ptr<LinearObjective> ExactSquaredObjective(const theory::Scenario& scenario);

// The sample-average approximation: the mean loss over the selected positions of `documents` documents
// drawn from the scenario (seeded; finite N), each predicted from its document's key average xbar.
// Squared or cross-entropy. An infinite length law uses `finite_length` tokens per document.
std::unique_ptr<LinearObjective> SampleAverageObjective(const theory::Scenario& scenario, theory::LossKind loss,
                                                        std::uint64_t documents, std::uint64_t seed,
                                                        int finite_length = 2000);

}  // namespace ldaformer::solvers
