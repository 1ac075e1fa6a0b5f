// The threads OpenBLAS uses inside Eigen's products. A process that runs several computations at once
// (a sweep's --jobs, MPI ranks sharing cores) sets it to 1: OpenBLAS's threads spin while they wait, and
// on an oversubscribed machine they double a computation's wall time. Results do not change.
#pragma once

namespace ldaformer::theory {

// Sets OpenBLAS's thread count for the process; a no-op when Eigen does not use OpenBLAS.
void SetBlasThreads(int threads);

}  // namespace ldaformer::theory
