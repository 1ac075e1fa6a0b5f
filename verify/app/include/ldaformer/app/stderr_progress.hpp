// The progress of `ldaformer verify` on stderr: each check as it starts and ends, with its wall time; a
// bar for a check that reports steps (on a terminal; a line per tenth of the steps otherwise, so logs stay
// readable); and the claims' warnings as they come.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "ldaformer/claims/progress.hpp"
#include "ldaformer/sim/progress_bar.hpp"

namespace ldaformer::app {

bool StderrIsTerminal();

class StderrProgress : public claims::Progress {
 public:
  // `out` receives the lines (std::cerr for the tool); with `terminal` (stderr is one: StderrIsTerminal())
  // a check's steps are drawn as a bar on stderr instead of lines.
  StderrProgress(std::ostream& out, bool terminal);

  void Begin(const std::string& id, int steps) override;
  void Step(int done) override;
  void End(const std::string& id, double seconds) override;
  void Warn(const std::string& message) override;

 private:
  std::ostream& out_;
  bool terminal_;
  std::string id_;
  int steps_ = 0;
  int reported_tenths_ = 0;
  std::unique_ptr<sim::ProgressBar> bar_;
};

}  // namespace ldaformer::app
