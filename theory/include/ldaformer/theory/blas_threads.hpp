// The threads OpenBLAS uses inside Eigen's products. A process that runs several computations at once
// (a sweep's --jobs, MPI ranks sharing cores) sets it to 1: OpenBLAS's threads spin while they wait, and
// on an oversubscribed machine they double a computation's wall time. Results do not change.
#pragma once

namespace ldaformer::theory {

// Sets OpenBLAS's thread count for the process; a no-op when Eigen does not use OpenBLAS.
void SetBlasThreads(int threads);

// OpenBLAS's thread count for the process (1 when Eigen does not use OpenBLAS).
int BlasThreads();

// Sets OpenBLAS's thread count for its lifetime and restores the previous one. The trainer runs its many
// small products (n ~ 100) on one BLAS thread under its own threads: OpenBLAS's workers, spinning between
// products, took the cores from the minibatch's threads (a 2 ms step took 150 ms on a loaded machine).
class BlasThreadsScope {
 public:
  explicit BlasThreadsScope(int threads) : previous_(BlasThreads()) { SetBlasThreads(threads); }
  ~BlasThreadsScope() { SetBlasThreads(previous_); }
  BlasThreadsScope(const BlasThreadsScope&) = delete;
  BlasThreadsScope& operator=(const BlasThreadsScope&) = delete;

 private:
  int previous_;
};

}  // namespace ldaformer::theory
