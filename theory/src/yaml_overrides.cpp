#include "ldaformer/theory/yaml_overrides.hpp"

#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::theory::yaml {

namespace {

std::vector<std::string> PathComponents(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '.')) out.push_back(part);
  if (!path.empty() && path.back() == '.') out.push_back("");
  return out;
}

// A copy of `node` built from its scalars, so that it has no marks: yaml-cpp marks a node parsed from a
// string with the line of that string, which would read as a line of the scenario file.
YAML::Node Unmarked(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return YAML::Node(node.Scalar());
    case YAML::NodeType::Sequence: {
      YAML::Node out(YAML::NodeType::Sequence);
      for (const YAML::Node& item : node) out.push_back(Unmarked(item));
      return out;
    }
    case YAML::NodeType::Map: {
      YAML::Node out(YAML::NodeType::Map);
      for (const auto& kv : node) out[kv.first.Scalar()] = Unmarked(kv.second);
      return out;
    }
    default:
      return YAML::Node();
  }
}

YAML::Node ParseValue(const Override& o, const std::string& option) {
  try {
    return Unmarked(YAML::Load(o.value));
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(fmt::format("{} {}: the value is not valid YAML ({})", option, o.Text(), e.msg));
  }
}

}  // namespace

Override ParseOverride(const std::string& text, const std::string& option) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) {
    throw std::invalid_argument(fmt::format("{} must be PATH=VALUE (e.g. masking.p_c=0), got '{}'", option, text));
  }
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  for (const std::string& part : PathComponents(o.path)) {
    if (part.empty()) {
      throw std::invalid_argument(
          fmt::format("{} {}: the path must be dotted field names (e.g. topics.leak), got '{}'", option, text, o.path));
    }
  }
  if (o.path.empty()) {
    throw std::invalid_argument(fmt::format("{} {}: the path is empty", option, text));
  }
  if (o.value.empty() || ParseValue(o, option).IsNull()) {
    throw std::invalid_argument(fmt::format("{} {}: the value is empty", option, text));
  }
  return o;
}

void ApplyOverride(YAML::Node& root, const Override& o) {
  const std::vector<std::string> parts = PathComponents(o.path);
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  YAML::Node node;
  node.reset(root);  // reset() rebinds: assigning a Node would overwrite the node it refers to
  std::string walked;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (i ? "." : "") + parts[i];
    YAML::Node child = node[parts[i]];
    if (!child || child.IsNull()) {
      node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      child.reset(node[parts[i]]);
    } else if (!child.IsMap()) {
      throw std::invalid_argument(
          fmt::format("--set {}: '{}' is not a section with fields (it holds a value)", o.Text(), walked));
    }
    node.reset(child);
  }
  node[parts.back()] = ParseValue(o, "--set");
}

YAML::Node WithOverrides(const YAML::Node& root, const std::vector<Override>& overrides) {
  YAML::Node out = (root && !root.IsNull()) ? YAML::Clone(root) : YAML::Node(YAML::NodeType::Map);
  for (const Override& o : overrides) ApplyOverride(out, o);
  return out;
}

}  // namespace ldaformer::theory::yaml
