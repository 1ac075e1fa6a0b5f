#include "yaml_from_python.hpp"

#include <stdexcept>

namespace ldaformer::python {

YAML::Node YamlFromPython(const py::handle& value, const std::string& path) {
  const std::string where = path.empty() ? "the scenario" : path;
  if (value.is_none()) return YAML::Node(YAML::NodeType::Null);
  if (py::isinstance<py::bool_>(value)) return YAML::Node(value.cast<bool>() ? "true" : "false");
  if (py::isinstance<py::int_>(value)) return YAML::Node(py::str(value).cast<std::string>());
  // repr of a float is the shortest text that reads back to the same double.
  if (py::isinstance<py::float_>(value)) return YAML::Node(py::repr(value).cast<std::string>());
  if (py::isinstance<py::str>(value)) return YAML::Node(value.cast<std::string>());
  if (py::isinstance<py::dict>(value)) {
    YAML::Node out(YAML::NodeType::Map);
    for (const auto& [key, item] : value.cast<py::dict>()) {
      if (!py::isinstance<py::str>(key)) {
        throw std::invalid_argument(where + ": keys must be strings, got " + py::repr(key).cast<std::string>());
      }
      const std::string name = key.cast<std::string>();
      out[name] = YamlFromPython(item, path.empty() ? name : path + "." + name);
    }
    return out;
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    YAML::Node out(YAML::NodeType::Sequence);
    int index = 0;
    for (const py::handle item : value) {
      out.push_back(YamlFromPython(item, where + "[" + std::to_string(index++) + "]"));
    }
    return out;
  }
  // NumPy arrays and scalars: their Python lists and numbers.
  if (py::hasattr(value, "tolist")) return YamlFromPython(value.attr("tolist")(), path);
  throw std::invalid_argument(where + ": a value of type " +
                              py::str(value.get_type().attr("__name__")).cast<std::string>() +
                              " has no YAML form, got " + py::repr(value).cast<std::string>());
}

}  // namespace ldaformer::python
