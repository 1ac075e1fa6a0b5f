// One name table per enum: the spelling of each value that YAML, the command line, JSON and checkpoints
// all use. An enum declares its table once, beside its definition:
//
//   template <> inline const NameTable<LossKind> kNames<LossKind> = {
//       {LossKind::kSquared, "squared"}, {LossKind::kCrossEntropy, "cross_entropy"}};
//
// and every reader and writer goes through NameOf / ParseName, so no spelling is written twice.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ldaformer::theory {

template <class E>
using NameTable = std::vector<std::pair<E, std::string_view>>;

// The table of enum E; each enum specialises it (a missing specialisation fails to link).
template <class E>
extern const NameTable<E> kNames;

// "a, b or c": the names a field accepts, for error messages and help texts.
template <class E>
std::string NameList() {
  std::string list;
  const NameTable<E>& table = kNames<E>;
  for (std::size_t k = 0; k < table.size(); ++k) {
    if (k > 0) list += k + 1 == table.size() ? " or " : ", ";
    list += table[k].second;
  }
  return list;
}

// The name of `value`.
template <class E>
std::string NameOf(E value) {
  for (const auto& [entry, name] : kNames<E>) {
    if (entry == value) return std::string(name);
  }
  throw std::logic_error("NameOf: a value without a name");
}

// The value named `text`; throws std::invalid_argument "FIELD must be a, b or c, got 'text'", where `field`
// is how the user wrote the field (masking.keys, --loss, ...).
template <class E>
E ParseName(const std::string& field, const std::string& text) {
  for (const auto& [entry, name] : kNames<E>) {
    if (name == text) return entry;
  }
  throw std::invalid_argument(field + " must be " + NameList<E>() + ", got '" + text + "'");
}

}  // namespace ldaformer::theory
