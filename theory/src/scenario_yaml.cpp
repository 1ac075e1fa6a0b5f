#include "ldaformer/theory/scenario_yaml.hpp"

#include "ldaformer/theory/input_file.hpp"
#include "ldaformer/theory/memory_check.hpp"
#include "ldaformer/theory/types.hpp"
#include "ldaformer/theory/yaml_fields.hpp"

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace ldaformer::theory {

namespace {

// How a scenario file gives the topic matrix beta.
enum class TopicsKind {
  kDisjointUniform,  // assumption A1: T disjoint blocks of v/T words, uniform within a block
  kBlurred,          // A1 mixed with the uniform law: (1 - leak) beta + leak / v
  kMatrix,           // beta given row by row
};

}  // namespace

template <>
inline const NameTable<TopicsKind> kNames<TopicsKind> = {{TopicsKind::kDisjointUniform, "disjoint_uniform"},
                                                         {TopicsKind::kBlurred, "blurred"},
                                                         {TopicsKind::kMatrix, "matrix"}};

namespace {

using namespace yaml;

// topics.T and topics.v, range-checked and checked to fit in memory as the T x v matrix beta.
std::pair<int, int> TopicSizes(const YAML::Node& node) {
  const int T = GetInRange<int>(node, "T", "topics.T", 1, kMaxTopics);
  const int v = GetInRange<int>(node, "v", "topics.v", 1, kMaxVocabulary);
  RequireMemory(DoublesBytes(double(T) * v), fmt::format("topics.T = {}, topics.v = {} (beta, T x v)", T, v));
  return {T, v};
}

TopicModel ParseTopics(const YAML::Node& node) {
  const TopicsKind kind = GetChoiceOr(node, "kind", "topics.kind", TopicsKind::kDisjointUniform);
  if (kind == TopicsKind::kDisjointUniform) {
    RequireKeys(node, "topics", {"kind", "T", "v"});
    const auto [T, v] = TopicSizes(node);
    return TopicModel::DisjointUniform(T, v);
  }
  if (kind == TopicsKind::kBlurred) {
    RequireKeys(node, "topics", {"kind", "T", "v", "leak"});
    const double leak = GetFinite(node, "leak", "topics.leak");
    if (leak < 0.0 || leak > 1.0) {
      throw std::invalid_argument(fmt::format("topics.leak must be in [0, 1], got {}", leak));
    }
    const auto [T, v] = TopicSizes(node);
    const TopicModel a1 = TopicModel::DisjointUniform(T, v);
    return TopicModel::FromBeta((1.0 - leak) * a1.beta + Matrix::Constant(a1.T, a1.v, leak / a1.v));
  }
  RequireKeys(node, "topics", {"kind", "beta"});
  const YAML::Node rows = node["beta"];
  if (!rows || !rows.IsSequence() || rows.size() == 0) {
    throw std::invalid_argument(fmt::format("topics.beta must be a non-empty list of rows{}", Where(node)));
  }
  std::vector<std::vector<double>> beta;
  for (const YAML::Node& row : rows) {
    const std::size_t t = beta.size();
    beta.push_back(GetElements<double>(row, fmt::format("topics.beta[{}]", t)));
    if (beta.back().size() != beta.front().size()) {
      throw std::invalid_argument(
          fmt::format("topics.beta[{}] has {} entries, row 0 has {}", t, beta.back().size(), beta.front().size()));
    }
  }
  Matrix B(beta.size(), beta.front().size());
  for (size_t t = 0; t < beta.size(); ++t)
    for (size_t w = 0; w < beta[t].size(); ++w) B(t, w) = beta[t][w];
  return TopicModel::FromBeta(B);
}

DocumentPrior ParsePrior(const YAML::Node& node, int T) {
  const DocumentPrior::Kind kind = GetChoiceOr(node, "kind", "prior.kind", DocumentPrior::Kind::kDirichlet);
  if (kind == DocumentPrior::Kind::kDirichlet) {
    RequireKeys(node, "prior", {"kind", "alpha"});
    if (node["alpha"] && node["alpha"].IsSequence()) {
      const std::vector<double> alpha = GetList<double>(node, "alpha", "prior.alpha");
      if (static_cast<int>(alpha.size()) != T) {
        throw std::invalid_argument(
            fmt::format("prior.alpha must have T={} entries, got {}{}", T, alpha.size(), Where(node["alpha"])));
      }
      return DocumentPrior::Dirichlet(Eigen::Map<const Vector>(alpha.data(), T));
    }
    return DocumentPrior::SymmetricDirichlet(T, Get<double>(node, "alpha", "prior.alpha"));
  }
  RequireKeys(node, "prior", {"kind", "k"});
  return DocumentPrior::UniformSubset(T, Get<int>(node, "k", "prior.k"));
}

LengthDistribution ParseLength(const YAML::Node& node) {
  switch (GetChoice<LengthDistribution::Kind>(node, "kind", "length.kind")) {
    case LengthDistribution::Kind::kFixed:
      RequireKeys(node, "length", {"kind", "N"});
      return LengthDistribution::Fixed(Get<int>(node, "N", "length.N"));
    case LengthDistribution::Kind::kUniform:
      RequireKeys(node, "length", {"kind", "min", "max"});
      return LengthDistribution::Uniform(Get<int>(node, "min", "length.min"), Get<int>(node, "max", "length.max"));
    case LengthDistribution::Kind::kPmf:
      RequireKeys(node, "length", {"kind", "values", "probs"});
      return LengthDistribution::Pmf(GetList<int>(node, "values", "length.values"),
                                     GetList<double>(node, "probs", "length.probs"));
    case LengthDistribution::Kind::kInfinite:
      RequireKeys(node, "length", {"kind"});
      return LengthDistribution::Infinite();
  }
  throw std::logic_error("length.kind: a kind without a parser");
}

Masking ParseMasking(const YAML::Node& node) {
  RequireKeys(node, "masking", {"p_m", "p_c", "p_r", "keys", "replacement"});
  Masking masking;
  auto probability = [&](const char* key, double fallback) {
    return node[key] ? GetFinite(node, key, fmt::format("masking.{}", key)) : fallback;
  };
  masking.p_m = probability("p_m", masking.p_m);
  masking.p_c = probability("p_c", masking.p_c);
  masking.p_r = probability("p_r", masking.p_r);
  masking.keys = GetChoiceOr(node, "keys", "masking.keys", masking.keys);
  masking.replacement = GetChoiceOr(node, "replacement", "masking.replacement", masking.replacement);
  masking.Validate();
  return masking;
}

}  // namespace

Scenario ParseScenario(const YAML::Node& root) {
  if (!root || root.IsNull()) return PaperSyntheticScenario();
  RequireKeys(root, "scenario",
              {"name", "description", "topics", "prior", "length", "masking", "special_tokens", "model", "solver",
               "training", "verify"});
  Scenario s = PaperSyntheticScenario();
  s.name = GetOr<std::string>(root, "name", "name", "unnamed");
  if (root["topics"]) s.topics = ParseTopics(root["topics"]);
  // A prior of the paper's default shape follows the number of topics.
  s.prior = root["prior"] ? ParsePrior(root["prior"], s.topics.T) : DocumentPrior::SymmetricDirichlet(s.topics.T, 0.1);
  if (root["length"]) s.length = ParseLength(root["length"]);
  if (root["masking"]) s.masking = ParseMasking(root["masking"]);
  if (root["special_tokens"]) {
    s.num_special = GetInRange<int>(root, "special_tokens", "special_tokens", 1, kMaxSpecialTokens);
  }
  s.Validate();
  return s;
}

Scenario ParseScenarioString(const std::string& yaml) {
  try {
    return ParseScenario(YAML::Load(yaml));
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument(fmt::format("scenario is not valid YAML: {}", e.what()));
  }
}

Scenario LoadScenarioFile(const std::string& path) {
  const YAML::Node root = yaml::LoadFile(path);
  try {
    return ParseScenario(root);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
  }
}

YAML::Node yaml::LoadFile(const std::string& path, const std::string& option) {
  RequireInputFile(path, option);
  try {
    const YAML::Node root = YAML::LoadFile(path);
    // An empty file would otherwise run every default silently, which is never what was meant.
    if (!root || root.IsNull()) {
      throw std::invalid_argument(fmt::format("{}: '{}' is empty (no YAML mapping)", option, path));
    }
    return root;
  } catch (const YAML::BadFile&) {
    throw std::invalid_argument(fmt::format("{}: cannot read file '{}'", option, path));
  } catch (const YAML::ParserException& e) {
    throw std::invalid_argument(fmt::format("{}: not valid YAML: {}", path, e.what()));
  }
}

}  // namespace ldaformer::theory
