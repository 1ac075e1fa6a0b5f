// The report's JSON as Python objects, so that `to_dict()` gives exactly what `--json` prints.
#include <cmath>

#include "bindings.hpp"

namespace ldaformer::python {

py::object FromJson(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return py::none();
    case nlohmann::json::value_t::boolean:
      return py::bool_(value.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return py::int_(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return py::int_(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: {
      // As the JSON is printed: NaN and infinities are null there.
      const double x = value.get<double>();
      return std::isfinite(x) ? py::object(py::float_(x)) : py::object(py::none());
    }
    case nlohmann::json::value_t::string:
      return py::str(value.get<std::string>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const nlohmann::json& item : value) out.append(FromJson(item));
      return std::move(out);
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items()) out[py::str(key)] = FromJson(item);
      return std::move(out);
    }
    case nlohmann::json::value_t::binary:
      break;
  }
  throw std::invalid_argument("json: a binary value has no Python form");
}

}  // namespace ldaformer::python
