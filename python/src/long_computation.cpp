// The GIL released around a long computation, with Ctrl-C checked at the libraries' cancellation points.
#include <chrono>

#include "bindings.hpp"

namespace ldaformer::python {

namespace {

// Signal handlers run at most this often: re-acquiring the GIL costs little, but not at every wave.
constexpr std::chrono::milliseconds kCheckInterval(20);

std::function<void()> SignalCheck() {
  return [last = std::chrono::steady_clock::now()]() mutable {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < kCheckInterval) return;
    last = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw Interrupted{};
  };
}

}  // namespace

LongComputation::LongComputation(int threads) : check_(SignalCheck()), budget_(threads), hook_(check_) {}

}  // namespace ldaformer::python
