// The program's version, as the build system declares it (CMake's project version): printed by
// `ldaformer --version` and recorded in every report file, so a report names the code that computed it.
#pragma once

#include <string>

namespace ldaformer::report {

std::string ProgramVersion();

}  // namespace ldaformer::report
