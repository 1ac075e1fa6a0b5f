// The T2 optimum W* = A (C + lambda I)^-1 on the paper's synthetic scenario, two ways: dense (Cholesky of
// C + lambda I, n x n) and in the topic-block algebra (a I + b B + c J on the word block: a few numbers).
// Prints the block coefficients a, b, c that MeasureBlockStructure reads off the dense W* and those of the
// structured one, how far the two are apart, the block residual and the margin (same-topic entries above
// different-topic ones: T2 holds when it is > 0). Exits 1 if the two routes disagree or the margin is <= 0.
#include <cmath>
#include <cstdio>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/second_moments.hpp"

using namespace ldaformer;

int main() {
  const theory::Scenario paper = theory::PaperSyntheticScenario();  // T = 10, v = 100, alpha = 0.1
  const double lambda = 1e-3;                                       // the T2 penalty of `ldaformer verify`

  // Dense: A, C are n x n and W* comes from a Cholesky factorisation of C + lambda I.
  const theory::Matrix W = solvers::OptimalValueMatrix(theory::ExactSecondMoments(paper), lambda);
  // Structured: A, C and W* as topic-block matrices (A1 and an exchangeable prior).
  const theory::TopicBlockMatrix W_block =
      solvers::OptimalValueMatrix(theory::ExactStructuredSecondMoments(paper), lambda);

  const claims::BlockStructure block = claims::MeasureBlockStructure(W, paper.topics);
  const double apart = (W_block.Dense() - W).norm() / W.norm();
  std::printf("W* = A (C + lambda I)^-1, lambda = %g, n = %ld\n", lambda, long(W.rows()));
  std::printf("dense:      a = %.9f, b = %.9f, c = %.9f\n", block.a, block.b, block.c);
  std::printf("structured: a = %.9f, b = %.9f, c = %.9f (|dense - structured|_F / |W*|_F = %.1e)\n", W_block.a,
              W_block.b, W_block.c, apart);
  std::printf("block residual %.1e, same-topic mean %.6f, different-topic mean %.6f, margin %.6f\n",
              block.relative_residual, block.same_topic_mean, block.different_topic_mean, block.margin);
  return apart < 1e-9 && block.margin > 0 ? 0 : 1;
}
