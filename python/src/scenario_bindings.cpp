// Scenarios from YAML text, a file or a dict, with `--set`-style overrides, read exactly as the command
// line reads a scenario file (app::ScenarioFile).
#include <optional>
#include <stdexcept>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>
#include <yaml-cpp/yaml.h>

#include "bindings.hpp"
#include "ldaformer/report/scenario_json.hpp"
#include "yaml_from_python.hpp"

namespace ldaformer::python {

namespace {

using theory::yaml::Override;

std::vector<Override> ParseOverrides(const std::vector<std::string>& texts) {
  std::vector<Override> out;
  for (const std::string& text : texts) out.push_back(theory::yaml::ParseOverride(text, "overrides"));
  return out;
}

// `source` names the input in messages, as a path does on the command line.
PyScenario FromTree(const YAML::Node& tree, const std::string& source, const std::vector<std::string>& overrides) {
  PyScenario file;
  file.path = source;
  file.overrides = ParseOverrides(overrides);
  file.tree = theory::yaml::WithOverrides(tree, file.overrides);
  app::ParseScenarioTree(file);
  return file;
}

PyScenario FromYaml(const std::string& text, const std::vector<std::string>& overrides) {
  YAML::Node tree;
  try {
    tree = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument(std::string("scenario is not valid YAML: ") + e.what());
  }
  return FromTree(tree, "the scenario text", overrides);
}

PyScenario FromDict(const py::dict& dict, const std::vector<std::string>& overrides) {
  return FromTree(YamlFromPython(dict), "the scenario dict", overrides);
}

// `path`: a str or any os.PathLike (pathlib.Path).
PyScenario FromFile(const py::object& path, const std::vector<std::string>& overrides) {
  const std::string text = py::module_::import("os").attr("fspath")(path).cast<std::string>();
  return app::ReadScenarioFile(text, ParseOverrides(overrides));
}

// The same source with more overrides (a later one wins).
PyScenario WithOverrides(const PyScenario& base, const std::vector<std::string>& overrides) {
  PyScenario file = base;
  const std::vector<Override> more = ParseOverrides(overrides);
  file.overrides.insert(file.overrides.end(), more.begin(), more.end());
  file.tree = theory::yaml::WithOverrides(base.tree, more);
  app::ParseScenarioTree(file);
  return file;
}

std::string YamlText(const PyScenario& file) {
  YAML::Emitter out;
  out << file.tree;
  return out.c_str();
}

std::optional<theory::Vector> Alpha(const PyScenario& file) {
  if (file.scenario.prior.kind != theory::DocumentPrior::Kind::kDirichlet) return std::nullopt;
  return file.scenario.prior.alpha;
}

}  // namespace

void BindScenario(py::module_& m) {
  const char* overrides_doc = "overrides: ['masking.p_m=0.2', ...], the command line's --set PATH=VALUE";
  py::class_<PyScenario>(m, "Scenario",
                         "A data scenario (topics, prior, lengths, masking) with its verify: and training: "
                         "sections, read and validated as the command line reads a scenario file. Build it "
                         "with Scenario(dict), Scenario.from_yaml, Scenario.from_file or paper_scenario().")
      .def(py::init([](const std::optional<py::dict>& source, const std::vector<std::string>& overrides) {
             return source ? FromDict(*source, overrides) : FromTree(YAML::Node(), "", overrides);
           }),
           py::arg("source") = py::none(), py::arg("overrides") = std::vector<std::string>(),
           (std::string("A scenario from a dict in the scenario file's layout ({'masking': {'p_m': 0.2}}); None: the "
                        "paper's scenario. Omitted sections keep the defaults. ") +
            overrides_doc)
               .c_str())
      .def_static("from_yaml", &FromYaml, py::arg("text"), py::arg("overrides") = std::vector<std::string>(),
                  (std::string("A scenario from YAML text (docs/SCENARIOS.md). ") + overrides_doc).c_str())
      .def_static("from_file", &FromFile, py::arg("path"), py::arg("overrides") = std::vector<std::string>(),
                  (std::string("A scenario from a YAML file, like --scenario FILE. ") + overrides_doc).c_str())
      .def("with_overrides", &WithOverrides, py::arg("overrides"),
           "The same scenario with more --set-style overrides applied (a later one wins).")
      .def_property_readonly(
          "name", [](const PyScenario& f) { return f.scenario.name; }, "The scenario's name.")
      .def_property_readonly("source", &PyScenario::Source,
                             "Where the scenario came from, with its overrides (as in error messages).")
      .def_property_readonly(
          "T", [](const PyScenario& f) { return f.scenario.topics.T; }, "Number of topics.")
      .def_property_readonly(
          "v", [](const PyScenario& f) { return f.scenario.topics.v; }, "Number of words.")
      .def_property_readonly(
          "n", [](const PyScenario& f) { return f.scenario.tokens().n(); }, "Number of tokens, v + special_tokens.")
      .def_property_readonly(
          "special_tokens", [](const PyScenario& f) { return f.scenario.num_special; },
          "Special tokens (MASK first, at index v).")
      .def_property_readonly(
          "disjoint_uniform", [](const PyScenario& f) { return f.scenario.topics.disjoint_uniform; },
          "Whether the topics satisfy A1 (disjoint supports of equal size, uniform on each).")
      .def_property_readonly(
          "has_topic_block_structure", [](const PyScenario& f) { return f.scenario.HasTopicBlockStructure(); },
          "A1 with an exchangeable prior: the structured O(v^2) paths apply.")
      .def_property_readonly(
          "beta", [](const PyScenario& f) { return f.scenario.topics.beta; }, "The T x v topic-word matrix.")
      .def_property_readonly(
          "prior", [](const PyScenario& f) { return theory::NameOf(f.scenario.prior.kind); },
          "prior.kind: 'dirichlet' or 'uniform_subset'.")
      .def_property_readonly("alpha", &Alpha, "The Dirichlet parameter (T values); None for another prior.")
      .def_property_readonly(
          "k", [](const PyScenario& f) { return f.scenario.prior.k; }, "Topics per document of a uniform_subset prior.")
      .def_property_readonly(
          "length", [](const PyScenario& f) { return theory::NameOf(f.scenario.length.kind); },
          "length.kind: 'fixed', 'uniform', 'pmf' or 'infinite'.")
      .def_property_readonly(
          "length_values", [](const PyScenario& f) { return f.scenario.length.values; },
          "The support of the length law (empty when infinite).")
      .def_property_readonly(
          "length_probs", [](const PyScenario& f) { return f.scenario.length.probs; },
          "The probabilities of length_values.")
      .def_property_readonly(
          "p_m", [](const PyScenario& f) { return f.scenario.masking.p_m; }, "Selection probability.")
      .def_property_readonly(
          "p_c", [](const PyScenario& f) { return f.scenario.masking.p_c; },
          "Probability that a selected position shows its true word.")
      .def_property_readonly(
          "p_r", [](const PyScenario& f) { return f.scenario.masking.p_r; },
          "Probability that a selected position shows a random token.")
      .def_property_readonly(
          "keys", [](const PyScenario& f) { return theory::NameOf(f.scenario.masking.keys); },
          "masking.keys: 'all' or 'unselected'.")
      .def_property_readonly(
          "replacement", [](const PyScenario& f) { return theory::NameOf(f.scenario.masking.replacement); },
          "masking.replacement: 'words' or 'all_tokens'.")
      .def(
          "describe", [](const PyScenario& f) { return f.scenario.Describe(); }, "A one-line description.")
      .def(
          "to_json", [](const PyScenario& f) { return FromJson(report::ToJson(f.scenario)); },
          "The resolved scenario as the reports record it (every field, defaults filled in), as a dict.")
      .def(
          "verify_options", [](const PyScenario& f) { return FromJson(report::ToJson(f.verify)); },
          "The verify: section as the run uses it, as a dict.")
      .def("to_yaml", &YamlText, "The YAML tree the scenario was parsed from, overrides applied.")
      .def("__repr__", [](const PyScenario& f) { return "<ldaformer.Scenario " + f.scenario.Describe() + ">"; });

  m.def(
      "paper_scenario", [](const std::vector<std::string>& overrides) { return FromTree(YAML::Node(), "", overrides); },
      py::arg("overrides") = std::vector<std::string>(),
      (std::string("The paper's synthetic scenario (T = 10, v = 100, alpha = 0.1, N uniform on 100..150, masking "
                   "0.15 / 0.1 / 0.1) with the default verify: and training: sections: what the command line uses "
                   "without --scenario. ") +
       overrides_doc)
          .c_str());
}

}  // namespace ldaformer::python
