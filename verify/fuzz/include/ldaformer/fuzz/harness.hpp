// The shared rule of every fuzz target: what counts as a clean rejection of hostile input, and what is a
// finding. A parser of outside input may refuse the input only with the project's documented errors:
//   std::invalid_argument           (a field and its value are wrong: the project's error for bad input)
//   nlohmann::json::parse_error     (the text is not JSON at all)
//   YAML::ParserException           (the text is not YAML at all)
// Those return 0. Anything else is a finding, and is left to escape so that libFuzzer stops and saves the
// input: another exception type (std::terminate aborts), a sanitizer report, a hang (-timeout), or more
// memory than -rss_limit_mb / -malloc_limit_mb (2 GB in the test command).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace ldaformer::fuzz {

// The fuzzer's bytes as text (embedded zero bytes included: a file may hold them).
inline std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs `parse()` and returns 0 for a documented rejection; every other outcome escapes.
template <class Parse>
int Run(Parse&& parse) {
  try {
    parse();
  } catch (const std::invalid_argument&) {
  } catch (const nlohmann::json::parse_error&) {
  } catch (const YAML::ParserException&) {
  }
  return 0;
}

}  // namespace ldaformer::fuzz
