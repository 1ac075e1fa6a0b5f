// The T3 attention objective: gradients against central differences, the sample-average objective
// against theory's forward pass on the same documents, and the N -> infinity objective against the exact
// uniform-attention loss within the quadrature's standard error.
#include <cmath>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "ldaformer/solvers/attention_objective.hpp"
#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"

namespace ldaformer::solvers {
namespace {

using theory::LossKind;
using theory::Matrix;
using theory::Scenario;

Scenario MakeScenario(std::string name, theory::TopicModel topics, theory::DocumentPrior prior,
                      theory::LengthDistribution length, double p_m, double p_c, double p_r, theory::KeySet keys,
                      theory::ReplacementAlphabet replacement, int num_special) {
  Scenario s;
  s.name = std::move(name);
  s.topics = std::move(topics);
  s.prior = std::move(prior);
  s.length = std::move(length);
  s.masking.p_m = p_m;
  s.masking.p_c = p_c;
  s.masking.p_r = p_r;
  s.masking.keys = keys;
  s.masking.replacement = replacement;
  s.num_special = num_special;
  s.Validate();
  return s;
}

// A1 with all positions as keys; the authors' variant (unselected keys, replacements from all tokens,
// two special tokens, short documents so that some key sets are empty); and a general beta.
std::vector<Scenario> Scenarios() {
  using K = theory::KeySet;
  using R = theory::ReplacementAlphabet;
  theory::Matrix beta(3, 6);
  beta << 0.4, 0.3, 0.2, 0.1, 0.0, 0.0,  //
      0.0, 0.1, 0.0, 0.5, 0.2, 0.2,      //
      0.05, 0.0, 0.0, 0.05, 0.3, 0.6;
  theory::Vector alpha(3);
  alpha << 0.2, 1.0, 3.0;
  return {
      MakeScenario("a1-all-keys", theory::TopicModel::DisjointUniform(3, 6),
                   theory::DocumentPrior::SymmetricDirichlet(3, 0.3), theory::LengthDistribution::Uniform(4, 9), 0.3,
                   0.2, 0.2, K::kAllPositions, R::kWords, 1),
      MakeScenario("a1-unselected-all-tokens", theory::TopicModel::DisjointUniform(3, 6),
                   theory::DocumentPrior::SymmetricDirichlet(3, 0.5), theory::LengthDistribution::Uniform(1, 4), 0.5,
                   0.3, 0.3, K::kUnselectedOnly, R::kAllTokens, 2),
      MakeScenario("overlapping-beta", theory::TopicModel::FromBeta(beta), theory::DocumentPrior::Dirichlet(alpha),
                   theory::LengthDistribution::Fixed(6), 0.4, 0.1, 0.2, K::kAllPositions, R::kWords, 1),
  };
}

Matrix RandomMatrix(int n, std::uint64_t seed, double scale) {
  return scale * theory::LinearPredictor::Random(n, seed).M;
}

// The SAA objective of a scenario, or its N -> infinity objective on a 32-point rule.
enum class Kind { kSampleAverage, kInfiniteLength };

AttentionObjective Build(Kind kind, const Scenario& scenario, int threads = 0) {
  if (kind == Kind::kSampleAverage) return AttentionObjective::SampleAverage(scenario, 40, 11, threads);
  return AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, 32, 3), threads);
}

TEST_CASE("Attention objective: gradients in S and W_V match central differences", "[solvers][T3]") {
  // Central differences with h = 1e-5: truncation h^2 |f'''| / 6 and rounding eps |f| / h are both
  // about 1e-11 for these O(1) losses.
  constexpr double kStep = 1e-5, kTolerance = 1e-8;
  for (const Scenario& scenario : Scenarios()) {
    for (const Kind kind : {Kind::kSampleAverage, Kind::kInfiniteLength}) {
      for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
        INFO(scenario.name << (kind == Kind::kSampleAverage ? " SAA " : " N->inf ") << theory::NameOf(loss));
        const AttentionObjective objective = Build(kind, scenario);
        const int n = scenario.tokens().n();
        Matrix S = RandomMatrix(n, 5, 3.0), W_V = RandomMatrix(n, 6, 1.0);
        Matrix grad_S, grad_V;
        objective.Loss(S, W_V, loss, &grad_S, &grad_V);
        CHECK(grad_S.norm() > 1e-3);
        CHECK(grad_V.norm() > 1e-3);
        double worst = 0.0;
        for (Matrix* X : {&S, &W_V}) {
          const Matrix& grad = X == &S ? grad_S : grad_V;
          for (Eigen::Index i = 0; i < X->size(); ++i) {
            const double x = X->data()[i];
            X->data()[i] = x + kStep;
            const double up = objective.Loss(S, W_V, loss);
            X->data()[i] = x - kStep;
            const double down = objective.Loss(S, W_V, loss);
            X->data()[i] = x;
            worst = std::max(worst, std::abs((up - down) / (2.0 * kStep) - grad.data()[i]));
          }
        }
        CHECK(worst <= kTolerance);
      }
    }
  }
}

TEST_CASE("Attention objective: SAA at S = 0 equals theory::MonteCarloLoss on the same documents", "[solvers][T3]") {
  constexpr double kTolerance = 1e-12;  // the same sums in a different order
  for (const Scenario& scenario : Scenarios()) {
    const int documents = 200;
    const std::uint64_t seed = 17;
    const AttentionObjective objective = AttentionObjective::SampleAverage(scenario, documents, seed);
    const int n = scenario.tokens().n();
    const Matrix W_V = RandomMatrix(n, 8, 1.0);
    theory::MonteCarloOptions options;
    options.documents = documents;
    options.seed = seed;
    options.targets = theory::TargetPositions::kSelected;
    for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
      INFO(scenario.name << " " << theory::NameOf(loss));
      const auto mc = theory::MonteCarloLoss(scenario, theory::TransformerParams::UniformAttention(W_V), loss, options);
      CHECK(objective.Loss(Matrix::Zero(n, n), W_V, loss) == Approx(mc.value).epsilon(kTolerance));
      CHECK(objective.total_weight() == mc.targets);
    }
  }
}

// The mean loss over the selected positions of documents 0..documents-1, one target at a time through
// theory's reference forward pass, with W^Q = sqrt(d_k) I and W^K = S so that TokenTables::scores = S.
double ForwardPassLoss(const Scenario& scenario, const Matrix& S, const Matrix& W_V, LossKind loss, int documents,
                       std::uint64_t seed) {
  const int n = scenario.tokens().n();
  theory::TransformerParams params = theory::TransformerParams::UniformAttention(W_V, n);
  params.W_Q = std::sqrt(double(n)) * Matrix::Identity(n, n);
  params.W_K = S;
  const theory::TokenTables tables = theory::Tabulate(params);
  REQUIRE((tables.scores - S).cwiseAbs().maxCoeff() <= 1e-14 * S.cwiseAbs().maxCoeff());
  const theory::DocumentSampler sampler(scenario);
  const bool all = scenario.masking.keys == theory::KeySet::kAllPositions;
  double sum = 0.0, targets = 0.0;
  for (int d = 0; d < documents; ++d) {
    const theory::MaskedDocument doc = sampler.Sample(seed, d);
    for (int i = 0; i < doc.N(); ++i) {
      if (!doc.selected[i]) continue;
      std::vector<int> keys;
      for (int j = 0; j < doc.N(); ++j) {
        if (all || !doc.selected[j]) keys.push_back(doc.inputs[j]);
      }
      sum += theory::TokenLoss(loss, theory::OneLayerLogits(tables, doc.inputs[i], keys), doc.words[i]);
      targets += 1.0;
    }
  }
  return sum / targets;
}

TEST_CASE("Attention objective: SAA at a random S equals the reference forward pass", "[solvers][T3]") {
  constexpr double kTolerance = 1e-12;
  for (const Scenario& scenario : Scenarios()) {
    const int n = scenario.tokens().n();
    const Matrix S = RandomMatrix(n, 21, 4.0), W_V = RandomMatrix(n, 22, 1.0);
    const AttentionObjective objective = AttentionObjective::SampleAverage(scenario, 150, 5);
    for (const LossKind loss : {LossKind::kSquared, LossKind::kCrossEntropy}) {
      INFO(scenario.name << " " << theory::NameOf(loss));
      const double reference = ForwardPassLoss(scenario, S, W_V, loss, 150, 5);
      CHECK(objective.Loss(S, W_V, loss) == Approx(reference).epsilon(kTolerance));
      // Negative control: the transposed score matrix is a different model.
      CHECK(std::abs(objective.Loss(S.transpose(), W_V, loss) - reference) > 1e-6);
    }
  }
}

TEST_CASE("Attention objective: N -> infinity at S = 0 equals the exact uniform-attention loss", "[solvers][T3]") {
  const int points = 128, repeats = 8;
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), 1e-4 / 2.0 / 3.0));
  for (const Scenario& scenario : Scenarios()) {
    INFO(scenario.name);
    const int n = scenario.tokens().n();
    const Matrix W_V = RandomMatrix(n, 9, 1.0);
    const theory::LinearPredictor predictor{W_V, theory::Vector::Zero(n)};
    Scenario infinite = scenario;
    infinite.length = theory::LengthDistribution::Infinite();
    const double exact = theory::ExactSquaredLoss(theory::ExactSecondMoments(infinite), predictor);
    double sum = 0.0, sum_sq = 0.0;
    for (int r = 0; r < repeats; ++r) {
      const AttentionObjective objective =
          AttentionObjective::InfiniteLength(scenario, ThetaQuadrature::ForPrior(scenario.prior, points, 1000 + r));
      const double value = objective.Loss(Matrix::Zero(n, n), W_V, LossKind::kSquared);
      sum += value;
      sum_sq += value * value;
    }
    const double mean = sum / repeats;
    const double se = std::sqrt(std::max(0.0, sum_sq - sum * sum / repeats) / (repeats - 1.0) / repeats);
    INFO("exact " << exact << " quadrature " << mean << " se " << se);
    CHECK(se > 0.0);
    CHECK(std::abs(mean - exact) <= z * se);
    // Negative control: the exact loss at a short finite length differs by far more than the error.
    Scenario short_documents = scenario;
    short_documents.length = theory::LengthDistribution::Fixed(2);
    const double finite = theory::ExactSquaredLoss(theory::ExactSecondMoments(short_documents), predictor);
    CHECK(std::abs(mean - finite) > 10.0 * z * se);
  }
}

TEST_CASE("Attention objective: the result does not depend on the thread count", "[solvers][T3]") {
  for (const Kind kind : {Kind::kSampleAverage, Kind::kInfiniteLength}) {
    const Scenario scenario = Scenarios().front();
    const int n = scenario.tokens().n();
    const Matrix S = RandomMatrix(n, 1, 2.0), W_V = RandomMatrix(n, 2, 1.0);
    Matrix gs1, gv1, gs3, gv3;
    const double one = Build(kind, scenario, 1).Loss(S, W_V, LossKind::kCrossEntropy, &gs1, &gv1);
    const double three = Build(kind, scenario, 3).Loss(S, W_V, LossKind::kCrossEntropy, &gs3, &gv3);
    CHECK(one == three);
    CHECK(gs1 == gs3);
    CHECK(gv1 == gv3);
  }
}

TEST_CASE("Attention objective: invalid input is refused with the field named", "[solvers][T3]") {
  Scenario scenario = Scenarios().front();
  const AttentionObjective objective = Build(Kind::kInfiniteLength, scenario);
  const int n = scenario.tokens().n();
  CHECK_THROWS_WITH(objective.Loss(Matrix::Zero(n, n + 1), Matrix::Zero(n, n), LossKind::kSquared),
                    Catch::Contains("S must be"));
  CHECK_THROWS_WITH(objective.Loss(Matrix::Zero(n, n), Matrix::Zero(n - 1, n), LossKind::kSquared),
                    Catch::Contains("W_V must be"));
  CHECK_THROWS_WITH(AttentionObjective::SampleAverage(scenario, 0, 1), Catch::Contains("saa.documents"));
  scenario.masking.p_m = 0.0;
  CHECK_THROWS_WITH(AttentionObjective::SampleAverage(scenario, 10, 1), Catch::Contains("no position was selected"));
  AttentionDocument doc = AttentionDocument::WithKeyWeights(theory::Vector::Ones(n));
  doc.queries.push_back(AttentionQuery{n, {{0, 1.0}}, 0.0});
  CHECK_THROWS_WITH(AttentionObjective(scenario.tokens(), {doc}), Catch::Contains("query token"));
  CHECK_THROWS_WITH(AttentionDocument::WithKeyWeights(-theory::Vector::Ones(n)), Catch::Contains("key weight"));
}

}  // namespace
}  // namespace ldaformer::solvers
