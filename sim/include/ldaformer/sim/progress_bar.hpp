// A one-line progress bar on stderr, drawn only when stderr is a terminal (logs and pipes stay clean).
#pragma once

#include <chrono>
#include <string>

namespace ldaformer::sim {

class ProgressBar {
 public:
  // `enabled` = false, or stderr not a terminal, makes every call a no-op.
  ProgressBar(long total, std::string label, bool enabled = true);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Redraws (at most ten times a second) with `done` of `total` and a short status text.
  void Update(long done, const std::string& status);
  // Draws the final state and ends the line.
  void Finish();

 private:
  void Draw(long done, const std::string& status);

  long total_;
  std::string label_;
  bool active_;
  bool finished_ = false;
  long last_done_ = 0;
  std::string last_status_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace ldaformer::sim
