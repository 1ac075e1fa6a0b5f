#include "ldaformer/report/version.hpp"

namespace ldaformer::report {

std::string ProgramVersion() { return LDAFORMER_VERSION; }

}  // namespace ldaformer::report
