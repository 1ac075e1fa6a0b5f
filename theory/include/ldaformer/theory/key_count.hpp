// The number of keys of the unselected key set: of the M = N - 1 other positions, each is a key when it
// was not selected, so K ~ Bin(M, q) with q = 1 - p_m. Its average enters the key-average weights as
// P(K >= 1) and E[1/K; K >= 1] (docs/THEORY.md, "unselected keys").
#pragma once

#include <vector>

namespace ldaformer::theory {

// P(K >= 1) = 1 - (1 - q)^M, without cancellation for small q.
double KeyPresentProbability(int M, double q);

// E[1/K; K >= 1] = integral_0^1 ((p + q t)^M - p^M) / t dt with p = 1 - q (from 1/k = integral t^(k-1)),
// by tanh-sinh quadrature (relative tolerance 1e-13): a cost that does not grow with M.
double InverseKeyCountMoment(int M, double q);

// E[1/K; K >= 1] for every M in `Ms` (increasing). When the Ms are dense it walks the recursion
// f(M + 1) = p f(M) + (1 - p^(M + 1)) / (M + 1), f(0) = 0 (every term non-negative, so stable), once up to
// the largest M; otherwise it integrates each M: at most about 100 |Ms| + min(max M, 100 |Ms|) steps.
std::vector<double> InverseKeyCountMoments(const std::vector<int>& Ms, double q);

}  // namespace ldaformer::theory
