#include "ldaformer/app/stderr_progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace ldaformer::app {

bool StderrIsTerminal() { return isatty(fileno(stderr)) != 0; }

StderrProgress::StderrProgress(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}

void StderrProgress::Begin(const std::string& id, int steps) {
  id_ = id;
  steps_ = steps;
  reported_tenths_ = 0;
  out_ << fmt::format("verify: {} ...", id) << (steps > 0 ? fmt::format(" ({} steps)\n", steps) : "\n") << std::flush;
  if (terminal_ && steps > 0) bar_ = std::make_unique<sim::ProgressBar>(steps, id);
}

void StderrProgress::Step(int done) {
  if (bar_) {
    bar_->Update(done, "");
    return;
  }
  if (steps_ <= 0) return;
  // Without a terminal, a line each time another tenth of the steps is done.
  const int tenths = static_cast<int>(10L * done / steps_);
  if (tenths > reported_tenths_) {
    reported_tenths_ = tenths;
    out_ << fmt::format("verify: {} {}/{} steps\n", id_, done, steps_) << std::flush;
  }
}

void StderrProgress::End(const std::string& id, double seconds) {
  bar_.reset();  // finishes the bar's line
  out_ << fmt::format("verify: {} done in {:.1f} s\n", id, seconds) << std::flush;
}

void StderrProgress::Warn(const std::string& message) {
  if (bar_) std::fputc('\n', stderr);  // below the bar, not over it
  out_ << "verify: warning: " << message << "\n" << std::flush;
}

}  // namespace ldaformer::app
