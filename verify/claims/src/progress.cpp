#include "ldaformer/claims/progress.hpp"

namespace ldaformer::claims {

Progress& SilentProgress() {
  // Stateless (every hook is a no-op), so one shared instance serves every caller and thread.
  static Progress silent;
  return silent;
}

}  // namespace ldaformer::claims
