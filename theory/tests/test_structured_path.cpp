// The topic-block algebra and the structured O(v^2) path against the dense path.
#include <catch2/catch.hpp>

#include <tuple>

#include <boost/random/normal_distribution.hpp>

#include "ldaformer/theory/rng.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

using testing::RelativeMaxError;

// The contract: structured and dense agree to 1e-12 relative.
constexpr double kAgreement = 1e-12;

TopicBlockMatrix RandomBlockMatrix(int T, int m, int s, std::uint64_t seed) {
  Rng rng = StreamFor(seed, 0);
  boost::random::normal_distribution<double> normal;
  TopicBlockMatrix x = TopicBlockMatrix::Zero(T, m, s);
  x.a = normal(rng);
  x.b = normal(rng);
  x.c = normal(rng);
  for (int i = 0; i < s; ++i) {
    x.f[i] = normal(rng);
    x.g[i] = normal(rng);
    for (int j = 0; j < s; ++j) x.S(i, j) = normal(rng);
  }
  return x;
}

TopicBlockVector RandomBlockVector(int s, std::uint64_t seed) {
  Rng rng = StreamFor(seed, 1);
  boost::random::normal_distribution<double> normal;
  TopicBlockVector x = TopicBlockVector::Zero(s);
  x.w = normal(rng);
  for (int i = 0; i < s; ++i) x.sp[i] = normal(rng);
  return x;
}

TEST_CASE("Topic-block algebra operations match their dense counterparts", "[theory][structured]") {
  const int T = 3, m = 4, s = 2, v = T * m;
  const TopicBlockMatrix X = RandomBlockMatrix(T, m, s, 1), Y = RandomBlockMatrix(T, m, s, 2);
  const TopicBlockVector u = RandomBlockVector(s, 3), w = RandomBlockVector(s, 4);
  const Matrix Xd = X.Dense(), Yd = Y.Dense();
  const Vector ud = u.Dense(v), wd = w.Dense(v);
  CHECK(RelativeMaxError((X * Y).Dense(), Xd * Yd) <= kAgreement);
  CHECK(RelativeMaxError((X + Y).Dense(), Xd + Yd) <= kAgreement);
  CHECK(RelativeMaxError((X - 2.5 * Y).Dense(), Xd - 2.5 * Yd) <= kAgreement);
  CHECK(RelativeMaxError(X.Transpose().Dense(), Matrix(Xd.transpose())) <= kAgreement);
  CHECK(RelativeMaxError((X * u).Dense(v), Xd * ud) <= kAgreement);
  CHECK(RelativeMaxError(Outer(u, w, T, m).Dense(), ud * wd.transpose()) <= kAgreement);
  CHECK(RelativeMaxError(Diag(u, T, m).Dense(), Matrix(ud.asDiagonal())) <= kAgreement);
  CHECK(Dot(u, w, v) == Approx(ud.dot(wd)).epsilon(kAgreement));
  CHECK(FrobeniusInner(X, Y) == Approx(Xd.cwiseProduct(Yd).sum()).epsilon(kAgreement));
  const Matrix M = Matrix::Random(v + s, v + s);
  CHECK(RelativeMaxError(M * X, M * Xd) <= kAgreement);
  CHECK(FrobeniusInner(M, X) == Approx(M.cwiseProduct(Xd).sum()).epsilon(kAgreement));
}

TEST_CASE("Topic-block inverse matches the dense inverse, including one topic and one word per topic",
          "[theory][structured]") {
  for (const auto& [T, m, s] : std::vector<std::tuple<int, int, int>>{{3, 4, 2}, {1, 5, 1}, {6, 1, 3}, {1, 1, 1}}) {
    INFO("T=" << T << " m=" << m << " s=" << s);
    TopicBlockMatrix X = RandomBlockMatrix(T, m, s, 5);
    X.a += 3.0;  // keep it well away from singular
    const Matrix Xd = X.Dense();
    CHECK(RelativeMaxError(Inverse(X).Dense(), Matrix(Xd.inverse())) <= 1e-11);
  }
  TopicBlockMatrix singular = RandomBlockMatrix(3, 4, 1, 6);
  singular.a = 0.0;
  CHECK_THROWS_AS(Inverse(singular), std::domain_error);
}

std::vector<Scenario> StructuredScenarios() {
  std::vector<Scenario> out;
  for (const Scenario& s : testing::ExactnessGrid()) {
    if (s.HasTopicBlockStructure()) out.push_back(s);
  }
  out.push_back(PaperSyntheticScenario());
  Scenario big = PaperSyntheticScenario();
  big.topics = TopicModel::DisjointUniform(20, 400);
  big.prior = DocumentPrior::SymmetricDirichlet(20, 0.05);
  big.masking.keys = KeySet::kUnselectedOnly;
  big.num_special = 4;
  out.push_back(big);
  return out;
}

TEST_CASE("Structured and dense second moments agree to 1e-12", "[theory][structured]") {
  const auto scenarios = StructuredScenarios();
  REQUIRE(scenarios.size() >= 15);
  for (const Scenario& s : scenarios) {
    INFO(s.Describe());
    const SecondMoments dense = ExactSecondMoments(s);
    const StructuredSecondMoments structured = ExactStructuredSecondMoments(s);
    const int v = s.topics.v;
    CHECK(RelativeMaxError(structured.A.Dense(), dense.A) <= kAgreement);
    CHECK(RelativeMaxError(structured.C.Dense(), dense.C) <= kAgreement);
    CHECK(RelativeMaxError(structured.xbar_mean.Dense(v), dense.xbar_mean) <= kAgreement);
    CHECK(RelativeMaxError(structured.p1.Dense(v), dense.p1) <= kAgreement);
  }
}

// The structured path's loss and gradient against the dense-moment path's; returns the structured loss and
// gradient.
double CheckStructuredAgainstDense(const SecondMoments& dense, const StructuredSecondMoments& structured,
                                   const LinearPredictor& p, LinearPredictor& g_structured) {
  LinearPredictor g_dense;
  const double L_dense = ExactSquaredLoss(dense, p, &g_dense);
  const double L_structured = ExactSquaredLoss(structured, p, &g_structured);
  CHECK(L_structured == Approx(L_dense).epsilon(kAgreement));
  CHECK(RelativeMaxError(g_structured.M, g_dense.M) <= kAgreement);
  CHECK(RelativeMaxError(g_structured.b, g_dense.b) <= kAgreement);
  return L_structured;
}

TEST_CASE("Structured and dense losses and gradients agree to 1e-12", "[theory][structured]") {
  for (const Scenario& s : StructuredScenarios()) {
    INFO(s.Describe());
    const int n = s.tokens().n();
    const SecondMoments dense = ExactSecondMoments(s);
    const StructuredSecondMoments structured = ExactStructuredSecondMoments(s);
    for (std::uint64_t seed : {1, 2}) {
      LinearPredictor g_structured;
      CheckStructuredAgainstDense(dense, structured, LinearPredictor::Random(n, seed), g_structured);
    }
    // A block predictor gives the loss of its dense form.
    const BlockLinearPredictor block{RandomBlockMatrix(s.topics.T, s.topics.m(), s.num_special, 9),
                                     RandomBlockVector(s.num_special, 9)};
    const double L_block = ExactSquaredLoss(structured, block);
    const double L_dense = ExactSquaredLoss(dense, LinearPredictor{block.M.Dense(), block.b.Dense(s.topics.v)});
    CHECK(L_block == Approx(L_dense).epsilon(kAgreement));
  }
}

TEST_CASE("The structured loss with a dense predictor equals the dense-moment path at any shape",
          "[theory][structured]") {
  // Random moments in the algebra rather than a scenario's: shapes a scenario does not reach (no special
  // token, many, one word per topic), topics whose m is not a multiple of the first pass's 4-column
  // pieces, and n not a multiple of its 128-row pieces.
  for (const auto& [T, m, s] : std::vector<std::tuple<int, int, int>>{
           {1, 1, 0}, {3, 5, 0}, {7, 37, 3}, {2, 130, 1}, {5, 3, 6}, {1, 200, 2}, {40, 1, 2}}) {
    INFO("T=" << T << " m=" << m << " s=" << s);
    const int v = T * m, n = v + s;
    const TopicBlockMatrix C = RandomBlockMatrix(T, m, s, 11);
    const StructuredSecondMoments structured{RandomBlockMatrix(T, m, s, 10), C + C.Transpose(),
                                             RandomBlockVector(s, 12), RandomBlockVector(s, 13)};
    const SecondMoments dense{structured.A.Dense(), structured.C.Dense(), structured.xbar_mean.Dense(v),
                              structured.p1.Dense(v)};
    const LinearPredictor p = LinearPredictor::Random(n, 14);
    LinearPredictor g_structured;
    const double L_structured = CheckStructuredAgainstDense(dense, structured, p, g_structured);
    // Without a gradient, the same loss; with a gradient of another shape, resized and overwritten.
    CHECK(ExactSquaredLoss(structured, p) == L_structured);
    LinearPredictor reused = LinearPredictor::Random(n + 3, 15);
    ExactSquaredLoss(structured, p, &reused);
    CHECK(reused.M == g_structured.M);
    CHECK(reused.b == g_structured.b);
  }
}

TEST_CASE("The structured path refuses scenarios without the topic-block symmetry", "[theory][structured]") {
  for (const Scenario& s : testing::ExactnessGrid()) {
    if (s.HasTopicBlockStructure()) continue;
    INFO(s.name);
    CHECK_THROWS_AS(ExactStructuredSecondMoments(s), std::invalid_argument);
  }
}

}  // namespace
}  // namespace ldaformer::theory
