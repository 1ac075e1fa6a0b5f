// Claim T1's predicate: inner-product averages of word embeddings, against hand values, with negative
// controls.
#include <cmath>

#include <catch2/catch.hpp>

#include "predicate_support.hpp"

#include "ldaformer/claims/gram_averages.hpp"

namespace ldaformer::claims {
namespace {

using Catch::Contains;
using theory::Matrix;

constexpr double kTol = 1e-12;

using testing::A1Topics;

TEST_CASE("One-hot embeddings pass the averaged margin by the diagonal alone, not the off-diagonal one",
          "[verify][T1]") {
  const int T = 4, m = 5, v = T * m;
  const GramAverages r = MeasureGramAverages(Matrix::Identity(v + 1, v + 1), A1Topics(T, m), v);
  REQUIRE(r.applicable);
  CHECK(r.margin.value == Approx(1.0 / m).margin(kTol));
  CHECK(r.holds);
  CHECK(r.off_diagonal_margin.value == 0.0);
  CHECK(r.block.a == 1.0);
  CHECK(r.block.b == 0.0);
  CHECK(r.block.relative_residual == 0.0);
}

TEST_CASE("A hand-computed Gram matrix", "[verify][T1]") {
  // Columns e0 = (1, 0), e1 = (1, 1), e2 = (0, 1), e3 = (0.5, 0); topics {0, 1} and {2, 3}; a MASK column
  // that must not matter. G = [1 1 0 .5; 1 2 1 .5; 0 1 1 0; .5 .5 0 .25].
  const Matrix E = (Matrix(2, 5) << 1, 1, 0, 0.5, 9,  //
                    0, 1, 1, 0, -9)
                       .finished();
  const GramAverages r = MeasureGramAverages(E, {0, 0, 1, 1}, 4);
  // Own-topic mean minus other-topic mean: word 0: 1 - .25, word 1: 1.5 - .75, word 2: .5 - .5,
  // word 3: .125 - .5.
  CHECK(r.margin.value == Approx(-0.375).margin(kTol));
  CHECK(r.margin.word == 3);
  CHECK_FALSE(r.holds);
  // Off-diagonal: word 0: 1 - .25, word 1: 1 - .75, word 2: 0 - .5, word 3: 0 - .5 (word 2 comes first).
  CHECK(r.off_diagonal_margin.value == Approx(-0.5).margin(kTol));
  CHECK(r.off_diagonal_margin.word == 2);
  CHECK(r.block.same_word_mean == Approx(1.0625).margin(kTol));
  CHECK(r.block.same_topic_mean == Approx(0.5).margin(kTol));
  CHECK(r.block.different_topic_mean == Approx(0.5).margin(kTol));
}

TEST_CASE("Two words of different topics with one embedding break the margin", "[verify][T1]") {
  // e_w = u_topic(w) + 0.1 u_(T + w) for orthonormal u: G = B + 0.01 I, averaged margin 1 + 0.01 / m.
  const int T = 3, m = 4, v = T * m;
  Matrix E = Matrix::Zero(T + v, v);
  for (int w = 0; w < v; ++w) {
    E(w / m, w) = 1.0;
    E(T + w, w) = 0.1;
  }
  const GramAverages clean = MeasureGramAverages(E, A1Topics(T, m), v);
  CHECK(clean.margin.value == Approx(1.0 + 0.01 / m).margin(kTol));
  CHECK(clean.off_diagonal_margin.value == Approx(1.0).margin(kTol));
  CHECK(clean.holds);

  // Word 0 (topic 0) takes the embedding of word m (topic 1). Its own-topic mean is G(0, 0) / m = 1.01 / m,
  // topic 1's is (1.01 + (m - 1)) / m: margin (1 - m) / m. Off-diagonal: 0 - (m + 0.01) / m.
  E.col(0) = E.col(m);
  const GramAverages broken = MeasureGramAverages(E, A1Topics(T, m), v);
  CHECK(broken.margin.value == Approx((1.0 - m) / m).margin(kTol));
  CHECK(broken.margin.word == 0);
  CHECK(broken.off_diagonal_margin.value == Approx(-(m + 0.01) / m).margin(kTol));
  CHECK_FALSE(broken.holds);
}

TEST_CASE("One topic or one word per topic: NaN and a reason where the margin needs them", "[verify][T1]") {
  const GramAverages one_topic = MeasureGramAverages(Matrix::Identity(4, 4), A1Topics(1, 4), 4);
  CHECK_FALSE(one_topic.applicable);
  CHECK_FALSE(one_topic.holds);
  CHECK(std::isnan(one_topic.margin.value));
  CHECK(std::isnan(one_topic.off_diagonal_margin.value));
  CHECK_THAT(one_topic.reason, Contains("one topic"));

  // m = 1: the averaged margin compares each word's norm with its inner products, the off-diagonal one has no pairs.
  const GramAverages singletons = MeasureGramAverages(Matrix::Identity(3, 3), A1Topics(3, 1), 3);
  CHECK(singletons.applicable);
  CHECK(singletons.margin.value == 1.0);
  CHECK(std::isnan(singletons.off_diagonal_margin.value));
  CHECK_FALSE(singletons.block.applicable);
}

TEST_CASE("Bad embeddings are refused with the entry named", "[verify][T1]") {
  Matrix E = Matrix::Identity(3, 3);
  CHECK_THROWS_WITH(MeasureGramAverages(E, A1Topics(2, 2), 4), Contains("v must be in 1..n=3, got v=4"));
  E(2, 1) = INFINITY;
  CHECK_THROWS_WITH(MeasureGramAverages(E, A1Topics(3, 1), 3), Contains("E(2, 1) must be finite"));
}

}  // namespace
}  // namespace ldaformer::claims
