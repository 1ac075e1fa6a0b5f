// The N -> infinity limit against large fixed N.
#include <catch2/catch.hpp>

#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

Scenario WithLength(Scenario s, LengthDistribution length) {
  s.length = std::move(length);
  return s;
}

double MaxGap(const SecondMoments& x, const SecondMoments& y) {
  return std::max({(x.A - y.A).cwiseAbs().maxCoeff(), (x.C - y.C).cwiseAbs().maxCoeff(),
                   (x.xbar_mean - y.xbar_mean).cwiseAbs().maxCoeff()});
}

TEST_CASE("Exact moments at fixed N converge to the N -> infinity limit at rate 1/N", "[theory][infinite]") {
  for (KeySet keys : {KeySet::kAllPositions, KeySet::kUnselectedOnly}) {
    for (double p_m : {0.15, 0.6}) {
      const Scenario base =
          testing::MakeScenario("limit", TopicModel::DisjointUniform(3, 9), DocumentPrior::SymmetricDirichlet(3, 0.2),
                                LengthDistribution::Infinite(), testing::MakeMasking(p_m, 0.1, 0.2, keys), 2);
      INFO(base.Describe());
      const SecondMoments limit = ExactSecondMoments(base);
      const double gap_1k = MaxGap(ExactSecondMoments(WithLength(base, LengthDistribution::Fixed(1000))), limit);
      const double gap_10k = MaxGap(ExactSecondMoments(WithLength(base, LengthDistribution::Fixed(10000))), limit);
      INFO("gap at N=1e3: " << gap_1k << ", at N=1e4: " << gap_10k);
      CHECK(gap_10k < 1e-4);
      // O(1/N): ten times the length, a tenth of the gap (within 10%).
      CHECK(gap_1k / gap_10k == Approx(10.0).epsilon(0.1));
      // And the limit is the structured one too.
      const StructuredSecondMoments structured = ExactStructuredSecondMoments(base);
      CHECK(testing::RelativeMaxError(structured.C.Dense(), limit.C) <= 1e-12);
    }
  }
}

TEST_CASE("With unselected keys and p_m = 1 the limit has no keys at all", "[theory][infinite]") {
  const Scenario s = testing::MakeScenario("no-keys", TopicModel::DisjointUniform(2, 4),
                                           DocumentPrior::SymmetricDirichlet(2, 1.0), LengthDistribution::Infinite(),
                                           testing::MakeMasking(1.0, 0.1, 0.1, KeySet::kUnselectedOnly));
  const SecondMoments mo = ExactSecondMoments(s);
  CHECK(mo.A.isZero(0.0));
  CHECK(mo.C.isZero(0.0));
}

TEST_CASE("Monte Carlo at long documents approaches the exact N -> infinity moments", "[theory][infinite]") {
  const Scenario s =
      testing::MakeScenario("limit-mc", TopicModel::DisjointUniform(2, 4), DocumentPrior::SymmetricDirichlet(2, 0.5),
                            LengthDistribution::Infinite(), testing::MakeMasking(0.2, 0.1, 0.1));
  MonteCarloOptions o;
  o.documents = 4000;
  o.infinite_length = 2000;
  const SecondMomentEstimate mc = MonteCarloSecondMoments(s, o);
  const SecondMoments limit = ExactSecondMoments(s);
  // The bias of N = 2000 against the limit is O(1/N) = 5e-4 of the entries' scale; allow it on top of
  // the statistical error.
  const Matrix bias = (ExactSecondMoments(WithLength(s, LengthDistribution::Fixed(2000))).C - limit.C).cwiseAbs();
  const Matrix slack = testing::BonferroniZ(double(limit.C.size())) * mc.C.standard_error + bias;
  CHECK(((mc.C.value - limit.C).cwiseAbs().array() <= slack.array() + 1e-15).all());
}

}  // namespace
}  // namespace ldaformer::theory
