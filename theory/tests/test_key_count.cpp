// The key count of the unselected key set, K ~ Bin(M, q): closed forms and quadrature against the
// direct binomial sum and against sampled K, up to M = 10^6.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "ldaformer/theory/key_count.hpp"
#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/second_moments.hpp"

namespace ldaformer::theory {
namespace {

// sum_{k=1}^{M} Bin(M, q).pdf(k) g(k): the old O(M) computation, as reference.
template <class G>
double BinomialSum(int M, double q, G g) {
  const boost::math::binomial_distribution<double> K(M, q);
  double sum = 0.0;
  for (int k = 1; k <= M; ++k) sum += boost::math::pdf(K, k) * g(k);
  return sum;
}

TEST_CASE("P(K >= 1) and E[1/K; K >= 1] agree with the binomial sum", "[theory][moments][edges]") {
  for (const double q : {1e-6, 0.01, 0.15, 0.5, 0.85, 0.999, 1.0}) {
    for (const int M : {1, 2, 5, 37, 300, 3000}) {
      INFO("q " << q << " M " << M);
      CHECK(KeyPresentProbability(M, q) == Approx(BinomialSum(M, q, [](int) { return 1.0; })).epsilon(1e-12));
      const double reference = BinomialSum(M, q, [](int k) { return 1.0 / k; });
      CHECK(InverseKeyCountMoment(M, q) == Approx(reference).epsilon(1e-11));
    }
  }
  CHECK(KeyPresentProbability(0, 0.5) == 0.0);
  CHECK(InverseKeyCountMoment(0, 0.5) == 0.0);
  CHECK(InverseKeyCountMoment(10, 0.0) == 0.0);
}

TEST_CASE("The recursion over dense M and the quadrature give the same E[1/K; K >= 1]", "[theory][moments][edges]") {
  for (const double q : {0.05, 0.85}) {
    std::vector<int> dense(2001);
    for (int M = 0; M <= 2000; ++M) dense[M] = M;
    const std::vector<double> walked = InverseKeyCountMoments(dense, q);
    // Two values far apart: the sparse path integrates each.
    const std::vector<double> sparse = InverseKeyCountMoments({7, 2000}, q);
    INFO("q " << q);
    CHECK(walked[7] == Approx(sparse[0]).epsilon(1e-12));
    CHECK(walked[2000] == Approx(sparse[1]).epsilon(1e-12));
    CHECK(walked[0] == 0.0);
    for (const int M : {1, 13, 999, 2000}) CHECK(walked[M] == Approx(InverseKeyCountMoment(M, q)).epsilon(1e-12));
  }
}

TEST_CASE("Unselected-key weights at lengths up to 10^6 agree with sampled key counts", "[theory][moments][edges]") {
  Masking masking;
  masking.p_m = 0.15;
  masking.keys = KeySet::kUnselectedOnly;
  const double q = 1.0 - masking.p_m;
  for (const LengthDistribution& length :
       {LengthDistribution::Fixed(1000000), LengthDistribution::Uniform(1, 1000000), LengthDistribution::Fixed(2)}) {
    INFO(length.Describe());
    const KeyAverageWeights w = ComputeKeyAverageWeights(length, masking);
    // Sample N from the size-biased law (P(N) N / E[N]) by rejection, then K ~ Bin(N - 1, q). N is drawn
    // directly: LengthDistribution::Sample builds its discrete law per call, O(support).
    Rng rng(17);
    boost::random::uniform_int_distribution<int> plain(length.values.front(), length.values.back());
    const int draws = 200000;
    double sum_present = 0.0, sum_inverse = 0.0, sum_inverse2 = 0.0;
    for (int i = 0; i < draws; ++i) {
      int N = plain(rng);
      while (boost::random::uniform_01<double>()(rng) * length.Max() > N) N = plain(rng);
      const int K = boost::random::binomial_distribution<int, double>(N - 1, q)(rng);
      sum_present += K >= 1;
      const double inv = K >= 1 ? 1.0 / K : 0.0;
      sum_inverse += inv;
      sum_inverse2 += inv * inv;
    }
    const double mean_inverse = sum_inverse / draws;
    const double se_inverse = std::sqrt((sum_inverse2 / draws - mean_inverse * mean_inverse) / draws);
    CHECK(std::abs(w.c_other_self - mean_inverse) <= 4.0 * se_inverse + 1e-15);
    CHECK(w.a_other == Approx(sum_present / draws).margin(4.0 * std::sqrt(0.25 / draws)));
    CHECK(w.c_other_pair == Approx(w.a_other - w.c_other_self).epsilon(1e-12));
  }
}

}  // namespace
}  // namespace ldaformer::theory
