// Report files are written whole or not at all: into a temporary name beside the target, then renamed
// into place, so a run killed while writing leaves the previous file intact.
#pragma once

#include <string>

namespace ldaformer::report {

// Writes `content` to `path` through a temporary file in the same directory and a rename. Throws
// std::runtime_error naming the file when it cannot be written.
void WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace ldaformer::report
