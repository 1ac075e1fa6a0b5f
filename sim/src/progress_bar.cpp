#include "ldaformer/sim/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace ldaformer::sim {

ProgressBar::ProgressBar(long total, std::string label, bool enabled)
    : total_(total),
      label_(std::move(label)),
      active_(enabled && total > 0 && isatty(fileno(stderr))),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(long done, const std::string& status) {
  if (!active_) return;
  last_done_ = done;
  last_status_ = status;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  Draw(done, status);
}

void ProgressBar::Finish() {
  if (!active_ || finished_) return;
  finished_ = true;
  Draw(last_done_, last_status_);
  std::fputc('\n', stderr);
}

void ProgressBar::Draw(long done, const std::string& status) {
  constexpr int kWidth = 30;
  const double fraction = double(done) / double(total_);
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = done > 0 ? elapsed * double(total_ - done) / double(done) : 0.0;
  std::fputs(fmt::format("\r{} [{}{}] {}/{} {:.0f}s left  {}\x1b[K", label_, std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), done, total_, eta, status)
                 .c_str(),
             stderr);
  std::fflush(stderr);
}

}  // namespace ldaformer::sim
