// Reading typed fields from YAML with errors that name the field, the value and the line: shared by every
// section parser (scenario_yaml.cpp, and the verify/training sections read by other modules).
#pragma once

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "ldaformer/theory/integer_field.hpp"
#include "ldaformer/theory/names.hpp"

namespace ldaformer::theory::yaml {

inline std::string Where(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? std::string() : fmt::format(" (line {})", mark.line + 1);
}

inline void RequireKeys(const YAML::Node& node, const std::string& section, const std::set<std::string>& allowed) {
  if (!node.IsMap()) {
    throw std::invalid_argument(fmt::format("{} must be a mapping{}", section, Where(node)));
  }
  for (const auto& kv : node) {
    // YAML allows a list or a mapping as a key ("? {a: 1}"); no section of ours has one.
    if (!kv.first.IsScalar()) {
      throw std::invalid_argument(
          fmt::format("{}: a key must be a name, got a list or a mapping{}", section, Where(kv.first)));
    }
    const std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      throw std::invalid_argument(fmt::format("{}: unknown key '{}'{}", section, key, Where(kv.first)));
    }
  }
}

// parent[key], where `field` is "section.key": a section that is a scalar or a list is refused by name
// (yaml-cpp's operator[] on a scalar throws its own BadSubscript, which names neither).
inline YAML::Node Child(const YAML::Node& parent, const std::string& key, const std::string& field) {
  if (parent.IsDefined() && !parent.IsNull() && !parent.IsMap()) {
    const auto dot = field.rfind('.');
    throw std::invalid_argument(fmt::format(
        "{} must be a mapping{}", dot == std::string::npos ? "scenario" : field.substr(0, dot), Where(parent)));
  }
  return parent[key];
}

// The integer `node`, which is `field`, in lo..hi: range-checked before conversion, so a count never wraps
// or truncates.
template <class X>
X IntegerOf(const YAML::Node& node, const std::string& field, long long lo, long long hi) {
  if (!node.IsScalar()) {
    throw std::invalid_argument(fmt::format("{} must be an integer, got a non-scalar{}", field, Where(node)));
  }
  try {
    return static_cast<X>(ParseInteger(node.Scalar(), field, lo, hi));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(e.what() + Where(node));
  }
}

// The value of `node`, which is `field`.
template <class X>
X GetElement(const YAML::Node& node, const std::string& field) {
  if constexpr (std::is_integral_v<X> && !std::is_same_v<X, bool>) {
    return IntegerOf<X>(node, field, MinOf<X>(), MaxOf<X>());
  } else {
    try {
      return node.as<X>();
    } catch (const YAML::Exception&) {
      const std::string text = node.IsScalar() ? node.Scalar() : "a non-scalar";
      const char* kind = std::is_same_v<X, bool> ? "true or false" : std::is_arithmetic_v<X> ? "a number" : "a string";
      throw std::invalid_argument(fmt::format("{} must be {}, got '{}'{}", field, kind, text, Where(node)));
    }
  }
}

template <class X>
X Get(const YAML::Node& parent, const std::string& key, const std::string& field) {
  const YAML::Node node = Child(parent, key, field);
  if (!node) throw std::invalid_argument(fmt::format("{} is required{}", field, Where(parent)));
  return GetElement<X>(node, field);
}

// An integer field in lo..hi, checked before conversion.
template <class X>
X GetInRange(const YAML::Node& parent, const std::string& key, const std::string& field, long long lo, long long hi) {
  const YAML::Node node = Child(parent, key, field);
  if (!node) throw std::invalid_argument(fmt::format("{} is required{}", field, Where(parent)));
  return IntegerOf<X>(node, field, lo, hi);
}

template <class X>
X GetOr(const YAML::Node& parent, const std::string& key, const std::string& field, X fallback) {
  return Child(parent, key, field) ? Get<X>(parent, key, field) : fallback;
}

// One of the names of kNames<E>, mapped to its value.
template <class E>
E GetChoice(const YAML::Node& parent, const std::string& key, const std::string& field) {
  const std::string name = Get<std::string>(parent, key, field);
  try {
    return ParseName<E>(field, name);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(e.what() + Where(parent[key]));
  }
}

// The same, or `fallback` when the key is absent.
template <class E>
E GetChoiceOr(const YAML::Node& parent, const std::string& key, const std::string& field, E fallback) {
  return Child(parent, key, field) ? GetChoice<E>(parent, key, field) : fallback;
}

inline double GetFinite(const YAML::Node& parent, const std::string& key, const std::string& field) {
  const double x = Get<double>(parent, key, field);
  if (!std::isfinite(x)) {
    throw std::invalid_argument(fmt::format("{} must be finite, got {}{}", field, x, Where(parent[key])));
  }
  return x;
}

// The elements of the list `node`, which is `field`. Iterating (not node[i], and no holder map that would
// link the whole document's memory into it) keeps parsing linear in the size of the file.
template <class X>
std::vector<X> GetElements(const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence()) throw std::invalid_argument(fmt::format("{} must be a list{}", field, Where(node)));
  std::vector<X> out;
  out.reserve(node.size());
  std::size_t i = 0;
  for (const YAML::Node& element : node) out.push_back(GetElement<X>(element, fmt::format("{}[{}]", field, i++)));
  return out;
}

template <class X>
std::vector<X> GetList(const YAML::Node& parent, const std::string& key, const std::string& field) {
  const YAML::Node node = Child(parent, key, field);
  if (!node) throw std::invalid_argument(fmt::format("{} must be a list{}", field, Where(parent)));
  return GetElements<X>(node, field);
}

// The root node of a YAML file; std::invalid_argument naming `option` when it cannot be read or parsed.
YAML::Node LoadFile(const std::string& path, const std::string& option = "--scenario");

}  // namespace ldaformer::theory::yaml
