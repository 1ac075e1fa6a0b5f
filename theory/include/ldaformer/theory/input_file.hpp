// A file named by the user, checked before it is opened: a directory or a missing file is refused with the
// option that named it, instead of a stream error from deep inside a parser.
#pragma once

#include <string>

namespace ldaformer::theory {

// Throws std::invalid_argument "<option>: '<path>' is a directory, not a file" (or "cannot read file").
void RequireInputFile(const std::string& path, const std::string& option);

}  // namespace ldaformer::theory
