// The T2 closed form: dense against structured, and a stationary point of the penalised loss.
#include <catch2/catch.hpp>

#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::solvers {
namespace {

theory::Scenario SmallScenario(int T, int v, double alpha, int N) {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.topics = theory::TopicModel::DisjointUniform(T, v);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(T, alpha);
  s.length = theory::LengthDistribution::Fixed(N);
  return s;
}

TEST_CASE("T2 closed form: structured equals dense and the penalised gradient vanishes", "[solvers][T2]") {
  for (const auto& scenario :
       {SmallScenario(3, 12, 0.1, 8), SmallScenario(4, 8, 1.0, 30), SmallScenario(2, 10, 0.5, 1)}) {
    for (const double lambda : {1e-3, 0.1}) {
      INFO(scenario.Describe() << " lambda=" << lambda);
      const auto dense = theory::ExactSecondMoments(scenario);
      const theory::Matrix W = OptimalValueMatrix(dense, lambda);
      const theory::Matrix W_block = OptimalValueMatrix(theory::ExactStructuredSecondMoments(scenario), lambda).Dense();
      CHECK((W - W_block).norm() <= 1e-10 * W.norm());
      theory::LinearPredictor predictor{W, theory::Vector::Zero(W.rows())}, gradient;
      theory::ExactSquaredLoss(dense, predictor, &gradient);
      CHECK((gradient.M + 2.0 * lambda * W).norm() <= 1e-10);
    }
  }
}

TEST_CASE("T2 closed form refuses a singular C without a penalty", "[solvers][T2]") {
  theory::Scenario scenario = SmallScenario(3, 12, 0.1, 8);
  scenario.length = theory::LengthDistribution::Infinite();
  scenario.masking.p_m = 0.0;
  CHECK_THROWS_AS(OptimalValueMatrix(theory::ExactSecondMoments(scenario), 0.0), std::domain_error);
  CHECK_THROWS_AS(OptimalValueMatrix(theory::ExactSecondMoments(scenario), -1.0), std::invalid_argument);
}

}  // namespace
}  // namespace ldaformer::solvers
