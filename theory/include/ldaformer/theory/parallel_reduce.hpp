// A parallel sum whose result does not depend on the number of threads; the thread budget and the
// cancellation check of the calling thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace ldaformer::theory {

// A check that long computations run on the calling thread between pieces of work (between waves of
// DeterministicParallelReduce, between Gibbs sweeps), so that a caller can abort them by throwing from it:
// the Python module raises KeyboardInterrupt on Ctrl-C this way. No check is set by default; set one for a
// scope with CancellationHook. It is never called from the worker threads.
inline thread_local const std::function<void()>* cancellation_check = nullptr;
inline void CheckCancellation() {
  if (cancellation_check != nullptr) (*cancellation_check)();
}

// Sets the cancellation check of the calling thread for its lifetime (the previous one is restored).
class CancellationHook {
 public:
  explicit CancellationHook(const std::function<void()>& check) : previous_(cancellation_check) {
    cancellation_check = &check;
  }
  ~CancellationHook() { cancellation_check = previous_; }
  CancellationHook(const CancellationHook&) = delete;
  CancellationHook& operator=(const CancellationHook&) = delete;

 private:
  const std::function<void()>* previous_;
};

// Splits items 0..count-1 into fixed blocks of `block_size`, accumulates each block sequentially into
// its own Accumulator (copied from `zero`), and merges the blocks in block order. Floating-point sums
// therefore happen in the same order for any thread count, and the result is bit-identical.
// `accumulate(index, acc)` adds item `index`; `merge(into, from)` adds a block's total.
template <class Accumulator, class AccumulateFn, class MergeFn>
Accumulator DeterministicParallelReduce(std::uint64_t count, const Accumulator& zero, AccumulateFn accumulate,
                                        MergeFn merge, int threads, std::uint64_t block_size = 64) {
  const std::uint64_t blocks = (count + block_size - 1) / block_size;
  const std::uint64_t workers = std::max<std::uint64_t>(1, std::min<std::uint64_t>(threads, blocks));
  // Blocks are processed in waves so that memory stays bounded by a few blocks per worker.
  const std::uint64_t wave = workers * 4;
  Accumulator total = zero;
  std::vector<Accumulator> partial;
  for (std::uint64_t first = 0; first < blocks; first += wave) {
    CheckCancellation();  // no worker runs here
    const std::uint64_t last = std::min(blocks, first + wave);
    partial.assign(last - first, zero);
    auto run = [&](std::uint64_t worker) {
      for (std::uint64_t blk = first + worker; blk < last; blk += workers) {
        const std::uint64_t end = std::min(count, (blk + 1) * block_size);
        for (std::uint64_t i = blk * block_size; i < end; ++i) accumulate(i, partial[blk - first]);
      }
    };
    if (workers == 1) {
      run(0);
    } else {
      std::vector<std::thread> pool;
      for (std::uint64_t t = 0; t < workers; ++t) pool.emplace_back(run, t);
      for (auto& th : pool) th.join();
    }
    for (auto& p : partial) merge(total, p);
  }
  return total;
}

// The default thread count: the machine's hardware threads (at least 1).
// The threads a computation asked for "0: all cores" uses on the calling thread: every core, unless a
// ThreadBudget on this thread says fewer (a sweep that runs points in parallel gives each point one).
inline thread_local int thread_budget = 0;
inline int DefaultThreads() {
  return thread_budget > 0 ? thread_budget : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Limits DefaultThreads() on the calling thread for its lifetime. Results do not change (every reduction is
// DeterministicParallelReduce); only how many cores one computation occupies.
class ThreadBudget {
 public:
  explicit ThreadBudget(int threads) : previous_(thread_budget) { thread_budget = threads; }
  ~ThreadBudget() { thread_budget = previous_; }
  ThreadBudget(const ThreadBudget&) = delete;
  ThreadBudget& operator=(const ThreadBudget&) = delete;

 private:
  int previous_;
};

}  // namespace ldaformer::theory
