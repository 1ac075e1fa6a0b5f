#include "ldaformer/theory/input_file.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory {

void RequireInputFile(const std::string& path, const std::string& option) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw std::invalid_argument(fmt::format("{}: '{}' is a directory, not a file", option, path));
  }
  if (!std::ifstream(path)) throw std::invalid_argument(fmt::format("{}: cannot read file '{}'", option, path));
}

}  // namespace ldaformer::theory
