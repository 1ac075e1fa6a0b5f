#include "ldaformer/theory/blas_threads.hpp"

// Weak: defined only when OpenBLAS is linked (LDAFORMER_USE_OPENBLAS), null otherwise.
extern "C" void openblas_set_num_threads(int threads) __attribute__((weak));
extern "C" int openblas_get_num_threads() __attribute__((weak));

namespace ldaformer::theory {

void SetBlasThreads(int threads) {
  if (openblas_set_num_threads != nullptr) openblas_set_num_threads(threads);
}

int BlasThreads() { return openblas_get_num_threads != nullptr ? openblas_get_num_threads() : 1; }

}  // namespace ldaformer::theory
