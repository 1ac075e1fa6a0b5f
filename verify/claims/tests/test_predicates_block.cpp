// Claim T2's predicate: block structure of an n x n matrix, against hand values and a generic
// least-squares solve, with negative controls.
#include <algorithm>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "predicate_support.hpp"

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/claims/value_columns.hpp"

namespace ldaformer::claims {
namespace {

using Catch::Contains;
using theory::Matrix;
using theory::Vector;

// Sums of a few dozen O(1) entries: rounding stays far below this.
constexpr double kTol = 1e-12;

using testing::A1Topics;

Matrix SameTopic(const std::vector<int>& topic) {
  const int v = static_cast<int>(topic.size());
  Matrix B(v, v);
  for (int i = 0; i < v; ++i) {
    for (int j = 0; j < v; ++j) B(i, j) = topic[i] == topic[j] ? 1.0 : 0.0;
  }
  return B;
}

// a I + b B + c J on the words, 1 f^T and g 1^T against the special tokens, S among them.
Matrix BlockMatrix(const std::vector<int>& topic, double a, double b, double c, const Vector& f, const Vector& g,
                   const Matrix& S) {
  const int v = static_cast<int>(topic.size()), s = static_cast<int>(S.rows());
  Matrix X(v + s, v + s);
  X.topLeftCorner(v, v) = a * Matrix::Identity(v, v) + b * SameTopic(topic) + c * Matrix::Ones(v, v);
  X.topRightCorner(v, s) = Vector::Ones(v) * f.transpose();
  X.bottomLeftCorner(s, v) = g * Vector::Ones(v).transpose();
  X.bottomRightCorner(s, s) = S;
  return X;
}

// The residual of the least-squares fit of X on the block model, by a generic dense QR over all n^2
// entries: one design column per parameter (a, b, c, each f_k, each g_k, each S entry).
double ResidualByQr(const Matrix& X, const std::vector<int>& topic) {
  const int v = static_cast<int>(topic.size()), n = static_cast<int>(X.rows()), s = n - v;
  const int params = 3 + 2 * s + s * s;
  Matrix design = Matrix::Zero(n * n, params);
  const Vector ones = Vector::Ones(v);
  auto column = [&](int p, const Matrix& M) { design.col(p) = Eigen::Map<const Vector>(M.data(), n * n); };
  Matrix M = Matrix::Zero(n, n);
  M.topLeftCorner(v, v) = Matrix::Identity(v, v);
  column(0, M);
  M.topLeftCorner(v, v) = SameTopic(topic);
  column(1, M);
  M.topLeftCorner(v, v) = Matrix::Ones(v, v);
  column(2, M);
  for (int k = 0; k < s; ++k) {
    M.setZero();
    M.block(0, v + k, v, 1) = ones;
    column(3 + k, M);
    M.setZero();
    M.block(v + k, 0, 1, v) = ones.transpose();
    column(3 + s + k, M);
    for (int l = 0; l < s; ++l) {
      M.setZero();
      M(v + k, v + l) = 1.0;
      column(3 + 2 * s + k * s + l, M);
    }
  }
  const Vector x = Eigen::Map<const Vector>(X.data(), n * n);
  const Vector coef = design.colPivHouseholderQr().solve(x);
  return (x - design * coef).norm() / x.norm();
}

TEST_CASE("An exactly block-wise matrix has zero residual, its coefficients, and margin b", "[verify][T2]") {
  const std::vector<int> topic = A1Topics(3, 4);
  const Vector f = (Vector(2) << 0.25, -2.0).finished(), g = (Vector(2) << 3.0, 0.5).finished();
  const Matrix S = (Matrix(2, 2) << 1.0, 2.0, -1.0, 4.0).finished();
  const Matrix X = BlockMatrix(topic, 0.7, 0.3, -0.1, f, g, S);
  const BlockStructure r = MeasureBlockStructure(X, topic, 12);
  REQUIRE(r.applicable);
  CHECK(r.relative_residual < kTol);
  CHECK(r.a == Approx(0.7).margin(kTol));
  CHECK(r.b == Approx(0.3).margin(kTol));
  CHECK(r.c == Approx(-0.1).margin(kTol));
  CHECK((r.f - f).cwiseAbs().maxCoeff() < kTol);
  CHECK((r.g - g).cwiseAbs().maxCoeff() < kTol);
  CHECK(r.same_word_mean == Approx(0.9).margin(kTol));         // a + b + c
  CHECK(r.same_topic_mean == Approx(0.2).margin(kTol));        // b + c
  CHECK(r.different_topic_mean == Approx(-0.1).margin(kTol));  // c
  CHECK(r.contrast == Approx(0.3).margin(kTol));
  // Every row and column: same-topic off-diagonal mean b + c, every other topic c.
  CHECK(r.row_margin.value == Approx(0.3).margin(kTol));
  CHECK(r.column_margin.value == Approx(0.3).margin(kTol));
  CHECK(r.margin == Approx(0.3).margin(kTol));
  CHECK(r.holds);

  const BlockStructure negative = MeasureBlockStructure(BlockMatrix(topic, 0.7, -0.3, -0.1, f, g, S), topic, 12);
  CHECK(negative.margin == Approx(-0.3).margin(kTol));
  CHECK_FALSE(negative.holds);
}

TEST_CASE("Noise orthogonal to the block model gives exactly its share of the norm as residual", "[verify][T2]") {
  const std::vector<int> topic = A1Topics(4, 3);
  const Matrix X = BlockMatrix(topic, 1.0, 0.5, 0.1, Vector::Constant(1, 0.2), Vector::Constant(1, -0.3),
                               Matrix::Constant(1, 1, 2.0));
  // An antisymmetric word-block perturbation sums to zero over each (symmetric) set of pairs and over
  // the diagonal, so it is orthogonal to I, B and J: the projection ignores it.
  std::mt19937_64 gen(7);
  std::normal_distribution<double> normal;
  Matrix R = Matrix::Zero(13, 13);
  for (int i = 0; i < 12; ++i) {
    for (int j = 0; j < 12; ++j) R(i, j) = normal(gen);
  }
  const Matrix noise = 0.05 * (R - R.transpose());
  const BlockStructure r = MeasureBlockStructure(X + noise, topic, 12);
  CHECK(r.relative_residual == Approx(noise.norm() / (X + noise).norm()).epsilon(1e-12));
  CHECK(r.a == Approx(1.0).margin(kTol));
  CHECK(r.b == Approx(0.5).margin(kTol));
  CHECK(r.c == Approx(0.1).margin(kTol));
}

TEST_CASE("The residual matches a generic least-squares fit, for unequal topics and general noise", "[verify][T2]") {
  const std::vector<int> topic = {2, 0, 0, 1, 2, 2, 1, 0, 2, 5};  // sizes 3, 2, 4, 1; arbitrary labels
  std::mt19937_64 gen(11);
  std::normal_distribution<double> normal;
  Matrix X =
      BlockMatrix(topic, 0.4, 0.8, 0.2, Vector::Constant(2, 1.0), Vector::Constant(2, -1.0), Matrix::Identity(2, 2));
  for (int i = 0; i < 12; ++i) {
    for (int j = 0; j < 12; ++j) X(i, j) += 0.1 * normal(gen);
  }
  const BlockStructure r = MeasureBlockStructure(X, topic, 10);
  CHECK(r.relative_residual > 0.01);
  CHECK(r.relative_residual == Approx(ResidualByQr(X, topic)).epsilon(1e-10));
}

TEST_CASE("Shuffled topics and the identity do not show topic structure", "[verify][T2]") {
  const std::vector<int> topic = A1Topics(4, 5);
  const Matrix X = BlockMatrix(topic, 1.0, 0.5, 0.1, Vector::Zero(1), Vector::Zero(1), Matrix::Zero(1, 1));
  std::vector<int> shuffled = topic;
  std::mt19937_64 gen(3);
  std::shuffle(shuffled.begin(), shuffled.end(), gen);
  REQUIRE(shuffled != topic);
  const BlockStructure r = MeasureBlockStructure(X, shuffled, 20);
  CHECK(r.margin < 0.0);
  CHECK_FALSE(r.holds);
  CHECK(r.relative_residual > 0.1);

  // The identity is block-wise with b = 0: the diagonal alone is no same-topic preference.
  const BlockStructure identity = MeasureBlockStructure(Matrix::Identity(21, 21), topic, 20);
  CHECK(identity.margin == 0.0);
  CHECK_FALSE(identity.holds);
  CHECK(identity.a == 1.0);
  CHECK(identity.b == 0.0);
  CHECK(identity.relative_residual < kTol);
}

TEST_CASE("Rows and columns are judged separately", "[verify][T2]") {
  // X = B + u 1^T with u = 5 on topic 1: each row only shifts, so rows keep margin 1; a column of topic
  // 0 sees mean 1 from its own topic but 0 + 5 from topic 1, margin -4.
  const std::vector<int> topic = A1Topics(3, 3);
  Matrix X = SameTopic(topic);
  X.middleRows(3, 3).array() += 5.0;
  const BlockStructure r = MeasureBlockStructure(X, topic, 9);
  CHECK(r.row_margin.value == Approx(1.0).margin(kTol));
  CHECK(r.column_margin.value == Approx(-4.0).margin(kTol));
  CHECK(r.column_margin.word == 0);
  CHECK(r.margin == r.column_margin.value);
}

TEST_CASE("The shares of words preferring their topic count every word or only the worst-off", "[verify][T2]") {
  const std::vector<int> topic = A1Topics(3, 3);
  const BlockStructure block = MeasureBlockStructure(SameTopic(topic), topic, 9);
  CHECK(block.share_above_every_topic == 1.0);
  CHECK(block.share_above_other_topics == 1.0);
  // Word 0 also likes topic 1 a lot (1.5 > 1 on topic 1): it beats the pooled other-topic mean 0.75 but
  // not topic 1's mean; the other 8 words are unaffected.
  Matrix X = SameTopic(topic);
  X.block(0, 3, 1, 3).setConstant(1.5);
  const BlockStructure one_word = MeasureBlockStructure(X, topic, 9);
  CHECK(one_word.share_above_every_topic == Approx(8.0 / 9.0));
  CHECK(one_word.share_above_other_topics == 1.0);
  CHECK(one_word.row_margin.word == 0);
  // The identity: own-topic and other-topic means tie (0 = 0) for every word, so no word counts.
  const BlockStructure identity = MeasureBlockStructure(Matrix::Identity(9, 9), topic, 9);
  CHECK(identity.share_above_every_topic == 0.0);
  CHECK(identity.share_above_other_topics == 0.0);
}

TEST_CASE("Empty pair sets give NaN margins and a reason, not a crash", "[verify][T2]") {
  const Matrix X = BlockMatrix(A1Topics(1, 4), 1.0, 0.5, 0.1, Vector::Zero(1), Vector::Zero(1), Matrix::Zero(1, 1));
  const BlockStructure one_topic = MeasureBlockStructure(X, A1Topics(1, 4), 4);
  CHECK_FALSE(one_topic.applicable);
  CHECK_FALSE(one_topic.holds);
  CHECK(std::isnan(one_topic.margin));
  CHECK(std::isnan(one_topic.c));
  CHECK(one_topic.row_margin.word == -1);
  CHECK_THAT(one_topic.reason, Contains("one topic"));
  CHECK(one_topic.relative_residual < kTol);

  const BlockStructure singletons = MeasureBlockStructure(Matrix::Identity(5, 5), A1Topics(4, 1), 4);
  CHECK_FALSE(singletons.applicable);
  CHECK(std::isnan(singletons.margin));
  CHECK(std::isnan(singletons.same_topic_mean));
  CHECK_THAT(singletons.reason, Contains("single word"));
  CHECK(singletons.different_topic_mean == 0.0);
}

TEST_CASE("Bad shapes and non-finite entries are refused with the field named", "[verify][T2]") {
  CHECK_THROWS_WITH(MeasureBlockStructure(Matrix::Zero(3, 4), A1Topics(1, 3), 3), Contains("square, got 3x4"));
  CHECK_THROWS_WITH(MeasureBlockStructure(Matrix::Zero(3, 3), A1Topics(2, 2), 4), Contains("v must be in 1..n=3"));
  CHECK_THROWS_WITH(MeasureBlockStructure(Matrix::Zero(3, 3), A1Topics(1, 3), 2), Contains("v=2 entries, got 3"));
  Matrix X = Matrix::Zero(3, 3);
  X(1, 2) = std::nan("");
  CHECK_THROWS_WITH(MeasureBlockStructure(X, A1Topics(1, 3), 3), Contains("X(1, 2) must be finite"));
}

TEST_CASE("Topics of a general beta are its argmax; A1 gives TopicOf", "[verify][T2]") {
  const theory::TopicModel a1 = theory::TopicModel::DisjointUniform(3, 6);
  CHECK(WordTopics(a1) == std::vector<int>{0, 0, 1, 1, 2, 2});
  const Matrix beta = (Matrix(2, 4) << 0.5, 0.3, 0.1, 0.1,  //
                       0.1, 0.3, 0.2, 0.4)
                          .finished();
  // Word 1 ties and goes to the lower topic.
  CHECK(WordTopics(theory::TopicModel::FromBeta(beta)) == std::vector<int>{0, 0, 1, 1});
  const Matrix X = SameTopic({0, 0, 1, 1});
  CHECK(MeasureBlockStructure(X, theory::TopicModel::FromBeta(beta)).margin == 1.0);
}

}  // namespace
TEST_CASE("W^V columns: inner products, cosines and nearest columns of a I + b B + c J", "[verify][T2]") {
  // v = 6 words in 2 topics of 3, one special token (row and column 0). Column a has a + b + c at row a,
  // b + c on the other rows of its topic, c on the other topic's rows, 0 on the special row.
  const double a = 1.0, b = 0.5, c = 0.2;
  const std::vector<int> topic = {0, 0, 0, 1, 1, 1};
  Matrix W = Matrix::Zero(7, 7);
  for (int col = 0; col < 6; ++col)
    for (int row = 0; row < 6; ++row) W(row, col) = (row == col ? a : 0.0) + (topic[row] == topic[col] ? b : 0.0) + c;
  const ValueColumns r = MeasureValueColumns(W, topic);
  const double diagonal = std::pow(a + b + c, 2) + 2 * std::pow(b + c, 2) + 3 * c * c;
  const double same = 2 * (a + b + c) * (b + c) + std::pow(b + c, 2) + 3 * c * c;
  const double different = 2 * c * (a + b + c) + 4 * c * (b + c);
  CHECK(r.raw.dot_diagonal == Approx(diagonal).epsilon(1e-14));
  CHECK(r.raw.dot_same_topic == Approx(same).epsilon(1e-14));
  CHECK(r.raw.dot_different_topic == Approx(different).epsilon(1e-14));
  CHECK(r.raw.cosine_same_topic == Approx(same / diagonal).epsilon(1e-14));
  CHECK(r.raw.cosine_different_topic == Approx(different / diagonal).epsilon(1e-14));
  CHECK(r.raw.nearest_same_topic == 6);
  CHECK(r.raw.words == 6);
  // Centred over the 7 rows: each column minus its mean, computed entry by entry.
  Matrix centred = W.leftCols(6);
  for (int col = 0; col < 6; ++col) {
    double mean = 0.0;
    for (int row = 0; row < 7; ++row) mean += W(row, col) / 7.0;
    for (int row = 0; row < 7; ++row) centred(row, col) -= mean;
  }
  CHECK(r.centred.dot_diagonal == Approx(centred.col(0).squaredNorm()).epsilon(1e-13));
  CHECK(r.centred.dot_same_topic == Approx(centred.col(0).dot(centred.col(1))).epsilon(1e-13));
  CHECK(r.centred.dot_different_topic == Approx(centred.col(0).dot(centred.col(3))).epsilon(1e-13));
  // The shift c is gone after centring: across-topic columns become anti-correlated.
  CHECK(r.centred.cosine_different_topic < 0.0);
  CHECK(r.centred.nearest_same_topic == 6);
}

TEST_CASE("W^V columns: with the topic labels shuffled the nearest column is rarely in the same topic (control)",
          "[verify][T2]") {
  const std::vector<int> topic = {0, 0, 0, 1, 1, 1};
  Matrix W = Matrix::Zero(6, 6);
  for (int col = 0; col < 6; ++col)
    for (int row = 0; row < 6; ++row) W(row, col) = (row == col ? 1.0 : 0.0) + (topic[row] == topic[col] ? 0.5 : 0.0);
  const std::vector<int> shuffled = {0, 1, 0, 1, 0, 1};
  const ValueColumns r = MeasureValueColumns(W, shuffled);
  // Word 0's nearest columns are 1 and 2 (its true topic): under the shuffled labels only 2 is "same topic".
  CHECK(r.raw.nearest_same_topic < 6);
  CHECK(r.raw.cosine_same_topic < MeasureValueColumns(W, topic).raw.cosine_same_topic);
  CHECK_THROWS_WITH(MeasureValueColumns(Matrix::Zero(3, 4), topic), Contains("W_V must be n x n"));
}

}  // namespace ldaformer::claims
