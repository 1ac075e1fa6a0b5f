// A Python dict (or list, number, string, bool, None, NumPy array) as a YAML tree, so that a scenario
// given as a dict is parsed and validated by the same parser as a file.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "bindings.hpp"

namespace ldaformer::python {

// Throws std::invalid_argument naming the dotted path of a value that has no YAML form.
YAML::Node YamlFromPython(const py::handle& value, const std::string& path = "");

}  // namespace ldaformer::python
