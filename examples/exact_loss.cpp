// Exact second moments A, C and the exact squared loss of a predictor, on the paper's synthetic scenario
// and on one built in code. Prints L(I) = 0.967792675236 on the paper scenario (the command line's
// `ldaformer loss --method exact --params identity`), L(0) = 1 and the gradient's size at I.
#include <cstdio>

#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"

using namespace ldaformer::theory;

int main() {
  const Scenario paper = PaperSyntheticScenario();
  const SecondMoments moments = ExactSecondMoments(paper);  // A = E[e_w xbar^T], C = E[xbar xbar^T]
  const int n = paper.tokens().n();                         // v words plus the special tokens

  LinearPredictor gradient;
  const double identity = ExactSquaredLoss(moments, LinearPredictor::Identity(n), &gradient);
  const double zero = ExactSquaredLoss(moments, LinearPredictor::Zero(n));
  std::printf("paper scenario, n = %d: L(I) = %.12f, L(0) = %.12f, |dL/dM|_F at I = %.6f\n", n, identity, zero,
              gradient.M.norm());

  // A scenario of our own: 4 disjoint topics of 5 words, Dirichlet(0.5), N = 20, the default masking
  // (p_m = 0.15, p_c = 0.1, p_r = 0.1).
  Scenario own;
  own.topics = TopicModel::DisjointUniform(4, 20);
  own.prior = DocumentPrior::SymmetricDirichlet(4, 0.5);
  own.length = LengthDistribution::Fixed(20);
  own.Validate();
  const SecondMoments own_moments = ExactSecondMoments(own);
  std::printf("own scenario: A is %ldx%ld, L(I) = %.12f\n", long(own_moments.A.rows()), long(own_moments.A.cols()),
              ExactSquaredLoss(own_moments, LinearPredictor::Identity(own.tokens().n())));
  return 0;
}
