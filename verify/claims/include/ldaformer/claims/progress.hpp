// Progress of a long check, reported by the claims as they run; the tool draws it on stderr. The claims
// only call these hooks; how (and whether) progress is shown is the caller's business.
#pragma once

#include <string>

namespace ldaformer::claims {

class Progress {
 public:
  virtual ~Progress() = default;
  // A check begins: `id` as in ClaimResult::id, `steps` > 0 when it will report Step()s (0: no bar).
  virtual void Begin(const std::string& /*id*/, int /*steps*/) {}
  // `done` of the announced steps are finished.
  virtual void Step(int /*done*/) {}
  // The check `id` ended after `seconds` of wall time.
  virtual void End(const std::string& /*id*/, double /*seconds*/) {}
  // Something the user should know now, e.g. a flow taking far more steps than usual.
  virtual void Warn(const std::string& /*message*/) {}
};

// Reports nothing: the default when no one is listening.
Progress& SilentProgress();

}  // namespace ldaformer::claims
