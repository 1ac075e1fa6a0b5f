#include "ldaformer/theory/topic_block_matrix.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/LU>

namespace ldaformer::theory {

TopicBlockVector TopicBlockVector::Zero(int s) { return TopicBlockVector{0.0, Vector::Zero(s)}; }

Vector TopicBlockVector::Dense(int v) const {
  Vector x(v + sp.size());
  x.head(v).setConstant(w);
  x.tail(sp.size()) = sp;
  return x;
}

TopicBlockMatrix TopicBlockMatrix::Zero(int T, int m, int s) {
  TopicBlockMatrix x;
  x.T = T;
  x.m = m;
  x.f = Vector::Zero(s);
  x.g = Vector::Zero(s);
  x.S = Matrix::Zero(s, s);
  return x;
}

Matrix TopicBlockMatrix::Dense() const {
  const int n = v() + s();
  Matrix X = Matrix::Zero(n, n);
  auto word = X.topLeftCorner(v(), v());
  word.setConstant(c);
  for (int t = 0; t < T; ++t) word.block(t * m, t * m, m, m).array() += b;
  word.diagonal().array() += a;
  X.topRightCorner(v(), s()).rowwise() = f.transpose();
  X.bottomLeftCorner(s(), v()).colwise() = g;
  X.bottomRightCorner(s(), s()) = S;
  return X;
}

TopicBlockMatrix TopicBlockMatrix::Transpose() const {
  TopicBlockMatrix x = *this;
  x.f = g;
  x.g = f;
  x.S = S.transpose();
  return x;
}

TopicBlockMatrix operator+(const TopicBlockMatrix& x, const TopicBlockMatrix& y) {
  TopicBlockMatrix z = x;
  z.a += y.a;
  z.b += y.b;
  z.c += y.c;
  z.f += y.f;
  z.g += y.g;
  z.S += y.S;
  return z;
}

TopicBlockMatrix operator*(double s, const TopicBlockMatrix& x) {
  TopicBlockMatrix z = x;
  z.a *= s;
  z.b *= s;
  z.c *= s;
  z.f *= s;
  z.g *= s;
  z.S *= s;
  return z;
}

TopicBlockMatrix operator-(const TopicBlockMatrix& x, const TopicBlockMatrix& y) { return x + (-1.0) * y; }

TopicBlockMatrix operator*(const TopicBlockMatrix& x, const TopicBlockMatrix& y) {
  const double m = x.m;
  const double v = x.v();
  TopicBlockMatrix z = TopicBlockMatrix::Zero(x.T, x.m, x.s());
  // (aI + bB + cJ)(a'I + b'B + c'J) with BB = mB, BJ = JB = mJ, JJ = vJ, plus (1 f^T)(g' 1^T) = (f.g')J.
  z.a = x.a * y.a;
  z.b = x.a * y.b + x.b * y.a + m * x.b * y.b;
  z.c = x.a * y.c + x.c * y.a + v * x.c * y.c + m * (x.b * y.c + x.c * y.b) + x.f.dot(y.g);
  z.f = x.WordRowSum() * y.f + y.S.transpose() * x.f;
  z.g = y.WordRowSum() * x.g + x.S * y.g;
  z.S = v * x.g * y.f.transpose() + x.S * y.S;
  return z;
}

TopicBlockVector operator*(const TopicBlockMatrix& x, const TopicBlockVector& y) {
  return TopicBlockVector{x.WordRowSum() * y.w + x.f.dot(y.sp), x.v() * y.w * x.g + x.S * y.sp};
}

TopicBlockVector operator+(const TopicBlockVector& x, const TopicBlockVector& y) {
  return TopicBlockVector{x.w + y.w, x.sp + y.sp};
}

TopicBlockVector operator-(const TopicBlockVector& x, const TopicBlockVector& y) {
  return TopicBlockVector{x.w - y.w, x.sp - y.sp};
}

TopicBlockVector operator*(double s, const TopicBlockVector& x) { return TopicBlockVector{s * x.w, s * x.sp}; }

TopicBlockMatrix Outer(const TopicBlockVector& u, const TopicBlockVector& w, int T, int m) {
  TopicBlockMatrix z = TopicBlockMatrix::Zero(T, m, static_cast<int>(u.sp.size()));
  z.c = u.w * w.w;
  z.f = u.w * w.sp;
  z.g = w.w * u.sp;
  z.S = u.sp * w.sp.transpose();
  return z;
}

TopicBlockMatrix Diag(const TopicBlockVector& u, int T, int m) {
  TopicBlockMatrix z = TopicBlockMatrix::Zero(T, m, static_cast<int>(u.sp.size()));
  z.a = u.w;
  z.S = u.sp.asDiagonal();
  return z;
}

double Dot(const TopicBlockVector& x, const TopicBlockVector& y, int v) { return v * x.w * y.w + x.sp.dot(y.sp); }

double FrobeniusInner(const TopicBlockMatrix& x, const TopicBlockMatrix& y) {
  const double v = x.v();
  const double m = x.m;
  // Word-block entries: a+b+c on the v diagonal cells, b+c on the v(m-1) other same-topic cells,
  // c on the v(v-m) different-topic cells.
  const double word =
      v * (x.a + x.b + x.c) * (y.a + y.b + y.c) + v * (m - 1) * (x.b + x.c) * (y.b + y.c) + v * (v - m) * x.c * y.c;
  return word + v * x.f.dot(y.f) + v * x.g.dot(y.g) + x.S.cwiseProduct(y.S).sum();
}

Matrix operator*(const Matrix& M, const TopicBlockMatrix& x) {
  const int v = x.v();
  const int s = x.s();
  const auto M_w = M.leftCols(v);
  const auto M_s = M.rightCols(s);
  // Row sums as matrix-vector products: contiguous in column-major storage, unlike rowwise().sum().
  const Vector ones = Vector::Ones(x.m);
  Matrix block_sums(M.rows(), x.T);  // column t: sum of M_w over the columns of topic t
  for (int t = 0; t < x.T; ++t) block_sums.col(t).noalias() = M_w.middleCols(t * x.m, x.m) * ones;
  const Vector row_sums = block_sums.rowwise().sum();
  // Word columns: M_w (aI + bB + cJ) + (M_s g) 1^T, that is a M_w plus one vector per topic.
  const Vector shared = x.c * row_sums + M_s * x.g;
  Matrix R(M.rows(), v + s);
  for (int t = 0; t < x.T; ++t) {
    const Vector add = shared + x.b * block_sums.col(t);
    R.middleCols(t * x.m, x.m) = (x.a * M_w.middleCols(t * x.m, x.m)).colwise() + add;
  }
  // Special columns: M_w 1 f^T + M_s S.
  R.rightCols(s).noalias() = row_sums * x.f.transpose() + M_s * x.S;
  return R;
}

double FrobeniusInner(const Matrix& M, const TopicBlockMatrix& x) {
  const int v = x.v();
  const int s = x.s();
  const auto M_ww = M.topLeftCorner(v, v);
  double same_topic = 0.0;
  for (int t = 0; t < x.T; ++t) same_topic += M_ww.block(t * x.m, t * x.m, x.m, x.m).sum();
  return x.a * M_ww.trace() + x.b * same_topic + x.c * M_ww.sum() +
         x.f.dot(M.topRightCorner(v, s).colwise().sum().transpose()) +
         x.g.dot(M.bottomLeftCorner(s, v).rowwise().sum()) + M.bottomRightCorner(s, s).cwiseProduct(x.S).sum();
}

TopicBlockMatrix CoefficientGradient(const TopicBlockMatrix& G) {
  const double v = G.v();
  const double m = G.m;
  const double diag = v * (G.a + G.b + G.c);
  const double same_topic = diag + v * (m - 1) * (G.b + G.c);
  TopicBlockMatrix d = G;
  d.a = diag;                            // <G, I>
  d.b = same_topic;                      // <G, B>
  d.c = same_topic + v * (v - m) * G.c;  // <G, J>
  d.f = v * G.f;                         // <G, 1 e_k^T>
  d.g = v * G.g;                         // <G, e_k 1^T>
  return d;
}

TopicBlockVector CoefficientGradient(const TopicBlockVector& G, int v) { return TopicBlockVector{v * G.w, G.sp}; }

TopicBlockMatrix Inverse(const TopicBlockMatrix& x) {
  // With m = 1, B = I, and with T = 1, B = J: fold b so that no coefficient of an empty eigenspace is inverted.
  double a = x.a, b = x.b, c = x.c;
  if (x.m == 1) {
    a += b;
    b = 0.0;
  }
  if (x.T == 1) {
    c += b;
    b = 0.0;
  }
  const int v = x.v(), s = x.s();
  const double scale = std::abs(a) + std::abs(b) * x.m + std::abs(c) * v + x.f.cwiseAbs().sum() +
                       x.g.cwiseAbs().sum() * v + x.S.cwiseAbs().sum();
  const auto require_nonzero = [&](double eigenvalue, const char* space) {
    if (!(std::abs(eigenvalue) > 1e-14 * scale)) {
      throw std::domain_error(std::string("TopicBlockMatrix is singular on the ") + space);
    }
  };
  const bool has_within_topic = x.m > 1, has_between_topic = x.T > 1;
  if (has_within_topic) require_nonzero(a, "within-topic zero-sum word vectors");
  if (has_between_topic) require_nonzero(a + b * x.m, "topic-constant zero-sum word vectors");
  // X [alpha 1; y] = [((a + b m + c v) alpha + f^T y) 1; v alpha g + S y].
  Matrix K(1 + s, 1 + s);
  K(0, 0) = a + b * x.m + c * v;
  K.block(0, 1, 1, s) = x.f.transpose();
  K.block(1, 0, s, 1) = v * x.g;
  K.bottomRightCorner(s, s) = x.S;
  const Eigen::FullPivLU<Matrix> lu(K);
  if (!lu.isInvertible()) throw std::domain_error("TopicBlockMatrix is singular on span{1} + specials");
  const Matrix K_inv = lu.inverse();
  TopicBlockMatrix inverse = TopicBlockMatrix::Zero(x.T, x.m, s);
  const double within = has_within_topic ? 1.0 / a : 0.0;
  const double between = has_between_topic ? 1.0 / (a + b * x.m) : within;
  // I = (I - B/m) + (B/m - J/v) + J/v, each a projection onto one eigenspace.
  inverse.a = within;
  inverse.b = (between - within) / x.m;
  inverse.c = (K_inv(0, 0) - between) / v;
  inverse.f = K_inv.block(0, 1, 1, s).transpose();
  inverse.g = K_inv.block(1, 0, s, 1) / v;
  inverse.S = K_inv.bottomRightCorner(s, s);
  return inverse;
}

}  // namespace ldaformer::theory
