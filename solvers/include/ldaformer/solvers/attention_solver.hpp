// Minimising the T3 objective over the attention scores S with W^V fixed (Ceres L-BFGS).
//
// Two parametrisations: the full n x n score matrix, and, for A1 scenarios with an exchangeable prior,
// the symmetric form S = s_I I + s_B B + s_J J on the word block plus free special rows and columns
// (theory::TopicBlockMatrix with a = s_I, b = s_B, c = s_J). Softmax attention is invariant under adding
// a constant to a row of S, so the unpenalised optimum is a set of S; lambda > 0 picks one and keeps the
// optimum finite when the loss keeps decreasing as scores grow.
#pragma once

#include <string>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/topic_block_matrix.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::solvers {

// Options of the L-BFGS solve (ceres::GradientProblemSolver); the tests are Ceres's.
struct AttentionSolverOptions {
  int max_iterations = 500;
  // stop when |new_cost - old_cost| < function_tolerance * old_cost
  double function_tolerance = 1e-12;
  // stop when max_i |g_i| < gradient_tolerance (g: gradient of the penalised loss in the parameters)
  double gradient_tolerance = 1e-9;
  // stop when |step|_2 <= parameter_tolerance * (|x|_2 + parameter_tolerance)
  double parameter_tolerance = 1e-12;
  double lambda = 0.0;  // penalty lambda ||S||_F^2 on the dense score matrix
  int lbfgs_rank = 20;  // number of curvature pairs L-BFGS keeps

  // Throws std::invalid_argument naming the field and the value unless every tolerance is finite and
  // >= 0, lambda is finite and >= 0, max_iterations >= 1 and lbfgs_rank >= 1.
  void Validate() const;
};

// The result of a solve.
struct AttentionSolution {
  theory::Matrix S;                       // the final dense score matrix
  theory::TopicBlockMatrix coefficients;  // the symmetric form's coefficients (SolveTopicBlockScores only)
  double loss = 0.0;                      // the objective at S, without the penalty
  double penalised_loss = 0.0;            // loss + lambda ||S||_F^2, the value Ceres minimised
  int iterations = 0;
  double gradient_norm = 0.0;  // |gradient of the penalised loss in the solver's parameters|_2 at the end
  std::string termination;     // ceres::TerminationTypeToString of the summary (CONVERGENCE, ...)
  std::string message;         // the Ceres summary's message

  bool Converged() const { return termination == "CONVERGENCE"; }
};

// Minimises over all n^2 entries of S, from S_initial (n x n; empty means S = 0, uniform attention).
AttentionSolution SolveFullScores(const AttentionObjective& objective, const theory::Matrix& W_V, theory::LossKind loss,
                                  const AttentionSolverOptions& options,
                                  const theory::Matrix& S_initial = theory::Matrix());

// Minimises over the 3 + 2 s + s^2 coefficients of S as a TopicBlockMatrix, from `initial` (which fixes
// T, m and s; v = T m must be the objective's v and s its num_special).
AttentionSolution SolveTopicBlockScores(const AttentionObjective& objective, const theory::Matrix& W_V,
                                        theory::LossKind loss, const AttentionSolverOptions& options,
                                        const theory::TopicBlockMatrix& initial);

// The sampling standard errors of SolveTopicBlockScores's optimum on a sample average (lambda = 0), each
// coefficient's in the shape of a TopicBlockMatrix. The objective's documents are treated as i.i.d. and
// the sandwich of M-estimation is used: Cov = H^+ V H^+ / D, with H the Hessian of the loss in the
// coefficients (central differences of the gradient), V the covariance of the documents' contributions
// to the gradient and D the number of documents. H is singular along the softmax row shifts (c with f,
// g with S); the pseudo-inverse leaves those out, and s_I, s_B are not among them.
theory::TopicBlockMatrix TopicBlockScoresStandardErrors(const AttentionObjective& objective, const theory::Matrix& W_V,
                                                        theory::LossKind loss, const theory::TopicBlockMatrix& optimum);

// The orthogonal projection of a dense n x n matrix onto the topic-block matrices: every class of
// entries (diagonal, same topic off the diagonal, different topics, each special row and column, the
// special block) replaced by its average. Its CoefficientGradient is the chain rule
// <X, dS/dcoefficient>_F, and for a score matrix it reads off the bucket averages (same token, same
// topic, different topic) of a full-S optimum.
theory::TopicBlockMatrix TopicBlockAverage(const theory::Matrix& X, int T, int m);

}  // namespace ldaformer::solvers
