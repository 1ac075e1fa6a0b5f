// Matrices and vectors with the symmetry of assumption A1 under an exchangeable prior.
//
// Order the n = v + s tokens as the v words (topic by topic, m words each) then the s special tokens.
// Let I, B, J be the v x v identity, same-topic indicator (block diagonal of m x m ones) and all-ones
// matrices, and 1 the all-ones v-vector. A TopicBlockMatrix is
//
//     X = [ a I + b B + c J    1 f^T ]      (f, g in R^s, S in R^(s x s))
//         [ g 1^T              S     ]
//
// and a TopicBlockVector is x = [ w 1 ; sp ]. These sets are closed under sums, products, transposes,
// outer products and diag(), with B B = m B, B J = J B = m J, J J = v J, so the second moments A and C
// and everything built from them cost O(s^3) instead of O(v^3). See docs/THEORY.md.
#pragma once

#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

struct TopicBlockVector {
  double w = 0.0;  // coefficient of 1 on the word block
  Vector sp;       // the special-token block (size s)

  static TopicBlockVector Zero(int s);
  // The dense n-vector.
  Vector Dense(int v) const;
};

struct TopicBlockMatrix {
  int T = 0;                         // topics
  int m = 0;                         // words per topic (v = T m)
  double a = 0.0, b = 0.0, c = 0.0;  // word block a I + b B + c J
  Vector f;                          // top-right block 1 f^T (v x s)
  Vector g;                          // bottom-left block g 1^T (s x v)
  Matrix S;                          // special block (s x s)

  static TopicBlockMatrix Zero(int T, int m, int s);
  int v() const { return T * m; }
  int s() const { return static_cast<int>(S.rows()); }

  // The dense n x n matrix.
  Matrix Dense() const;
  TopicBlockMatrix Transpose() const;
  // Row sum of the word block, a + b m + c v: the eigenvalue of the word block on 1.
  double WordRowSum() const { return a + b * m + c * v(); }
};

TopicBlockMatrix operator+(const TopicBlockMatrix& x, const TopicBlockMatrix& y);
TopicBlockMatrix operator-(const TopicBlockMatrix& x, const TopicBlockMatrix& y);
TopicBlockMatrix operator*(double s, const TopicBlockMatrix& x);
TopicBlockMatrix operator*(const TopicBlockMatrix& x, const TopicBlockMatrix& y);
TopicBlockVector operator*(const TopicBlockMatrix& x, const TopicBlockVector& y);
TopicBlockVector operator+(const TopicBlockVector& x, const TopicBlockVector& y);
TopicBlockVector operator-(const TopicBlockVector& x, const TopicBlockVector& y);
TopicBlockVector operator*(double s, const TopicBlockVector& x);

// u w^T for vectors with the symmetry; the topic shape (T, m) is needed to place the result.
TopicBlockMatrix Outer(const TopicBlockVector& u, const TopicBlockVector& w, int T, int m);
// diag(u).
TopicBlockMatrix Diag(const TopicBlockVector& u, int T, int m);
// X^-1, in the algebra: X acts as a on within-topic zero-sum word vectors, as a + b m on topic-constant
// zero-sum word vectors, and as a (1+s) x (1+s) matrix on span{1} + the special block, each inverted
// separately. Throws std::domain_error when X is singular (an eigenvalue within 1e-14 relative of 0).
TopicBlockMatrix Inverse(const TopicBlockMatrix& x);
// x . y over all n coordinates.
double Dot(const TopicBlockVector& x, const TopicBlockVector& y, int v);
// <X, Y>_F = tr(X^T Y).
double FrobeniusInner(const TopicBlockMatrix& x, const TopicBlockMatrix& y);

// Mixed products with a dense n x n matrix M, each O(n^2): M X and <M, X>_F.
Matrix operator*(const Matrix& M, const TopicBlockMatrix& x);
double FrobeniusInner(const Matrix& M, const TopicBlockMatrix& x);

// The gradient of a function of the coefficients (a, b, c, f, g, S) of X, given the gradient G with
// respect to the dense entries of X (itself in the algebra): each coefficient gets <G, dX/dcoef>_F.
TopicBlockMatrix CoefficientGradient(const TopicBlockMatrix& G);
// Likewise for a vector: d/dw = v G.w, d/dsp = G.sp.
TopicBlockVector CoefficientGradient(const TopicBlockVector& G, int v);

}  // namespace ldaformer::theory
