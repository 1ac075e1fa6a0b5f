// T1's and T2's cross-entropy versions: the optimum of the sample average of the cross-entropy of
// y = M xbar (one-hot embedding, uniform attention) with the penalty lambda ||M||_F^2, and the sampling
// error of a smooth functional of that optimum (a margin).
#pragma once

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/solvers/linear_solver.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::claims {

// Ceres L-BFGS on solvers::SampleAverageObjective(scenario, kCrossEntropy, options.saa_documents,
// options.seed) with lambda = options.lambda: T1 reads M as the identity-decoder embedding E, T2 as W^V.
solvers::LinearSolveResult SolveCrossEntropySampleAverage(const theory::Scenario& scenario,
                                                          const VerifyOptions& options);

// The influence-function (sandwich) standard error of phi(M_hat), for M_hat the optimum above and F the
// gradient of phi at M_hat (n x n). The optimum solves sum_d psi_d(M) = 0 over the D documents, with
// psi_d = grad l_d(M) + 2 lambda s_d M (l_d: document d's summed cross-entropy over its s_d selected
// positions), so M_hat - M* ~ -H^-1 (1/S) sum_d psi_d with S = sum_d s_d and H the Hessian of the
// objective; then Var phi(M_hat) ~ (1/S^2) D/(D-1) sum_d (u . (psi_d - mean psi))^2 with H u = F, solved
// by conjugate gradients with exact Hessian-vector products. Documents are those of the objective
// (theory::DocumentSampler(scenario).Sample(options.seed, d), d < saa_documents). Throws std::logic_error
// if M_hat's loss on them differs from `loss` (the solve's), which would mean other documents.
double CrossEntropyStandardError(const theory::Scenario& scenario, const VerifyOptions& options,
                                 const theory::Matrix& M_hat, double loss, const theory::Matrix& F);

}  // namespace ldaformer::claims
