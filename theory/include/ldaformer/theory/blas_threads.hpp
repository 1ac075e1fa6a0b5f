// The threads OpenBLAS uses inside Eigen's products. A process that runs several computations at once
// (a sweep's --jobs, MPI ranks sharing cores) sets it to 1: OpenBLAS's threads spin while they wait, and
// on an oversubscribed machine they double a computation's wall time. Results do not change.
#pragma once

namespace ldaformer::theory {

// Sets OpenBLAS's thread count for the process; a no-op when Eigen does not use OpenBLAS.
void SetBlasThreads(int threads);

// OpenBLAS's thread count for the process (1 when Eigen does not use OpenBLAS).
int BlasThreads();

// Sets OpenBLAS's thread count for its lifetime and restores the previous one. Process-wide: scopes on
// several threads at once should set the same count (an outer scope around them keeps it).
class BlasThreadScope {
 public:
  explicit BlasThreadScope(int threads) : previous_(BlasThreads()) { SetBlasThreads(threads); }
  ~BlasThreadScope() { SetBlasThreads(previous_); }
  BlasThreadScope(const BlasThreadScope&) = delete;
  BlasThreadScope& operator=(const BlasThreadScope&) = delete;

 private:
  int previous_;
};

}  // namespace ldaformer::theory
