// `--set PATH=VALUE`: one field of a scenario file replaced from the command line, by its dotted YAML path
// (`masking.p_c=0`, `topics.leak=0.3`, `prior.alpha=[0.1,0.5]`). The override is applied to the YAML tree
// before it is parsed, so an overridden field is validated exactly as if the file had said it.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace ldaformer::theory::yaml {

// One override: the dotted path of a field and its value in YAML syntax (a scalar, `[a, b]` or `{k: v}`).
struct Override {
  std::string path;
  std::string value;

  std::string Text() const { return path + "=" + value; }  // as given on the command line
};

// Parses `PATH=VALUE`. Throws std::invalid_argument naming `option` and the text when there is no `=`, the
// path is empty or has an empty component (`a..b`), or the value is empty or not valid YAML.
Override ParseOverride(const std::string& text, const std::string& option = "--set");

// Sets the field at `o.path` of `root` (a mapping, or null: an empty file) to `o.value`, creating the
// mappings on the way. The value carries no line marks, so a parser's error about it names the field and
// the value, not a line of the file. Throws std::invalid_argument naming the override when a component on
// the way is a scalar or a list.
void ApplyOverride(YAML::Node& root, const Override& o);

// The root with every override applied in order (a later one wins).
YAML::Node WithOverrides(const YAML::Node& root, const std::vector<Override>& overrides);

}  // namespace ldaformer::theory::yaml
