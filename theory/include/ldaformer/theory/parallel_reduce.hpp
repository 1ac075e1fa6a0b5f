// A parallel sum whose result does not depend on the number of threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace ldaformer::theory {

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
inline int DefaultThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace ldaformer::theory
