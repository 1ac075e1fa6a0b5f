#include "ldaformer/sim/training_yaml.hpp"

#include <fmt/format.h>

#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/theory/integer_field.hpp"
#include "ldaformer/theory/yaml_fields.hpp"

namespace ldaformer::sim {

using namespace theory::yaml;

namespace {

// An integer field in minimum..maximum (by default the range of X), checked before conversion.
template <class X>
X GetAtLeast(const YAML::Node& node, const char* key, X fallback, long long minimum,
             long long maximum = theory::MaxOf<X>()) {
  if (!node[key]) return fallback;
  return IntegerOf<X>(node[key], fmt::format("training.{}", key), minimum, maximum);
}

double GetNonNegative(const YAML::Node& node, const char* key, const std::string& field, double fallback) {
  if (!node[key]) return fallback;
  const double value = GetFinite(node, key, field);
  if (value < 0.0)
    throw std::invalid_argument(fmt::format("{} must be >= 0, got {}{}", field, value, Where(node[key])));
  return value;
}

}  // namespace

TrainingSection ParseTrainingSection(const YAML::Node& root, TrainingSection section) {
  const YAML::Node node = root ? Child(root, "training", "training") : YAML::Node();
  if (!node) return section;
  RequireKeys(node, "training", {"preset",      "optimizer",
                                 "lr",          "schedule",
                                 "warmup",      "steps",
                                 "batch",       "loss",
                                 "init_scale",  "embedding",
                                 "attention",   "value",
                                 "decoder",     "d",
                                 "d_k",         "l2",
                                 "masking",     "seed",
                                 "threads",     "record_every",
                                 "documents",   "heldout_documents",
                                 "corpus_seed", "layers",
                                 "heads",       "residual",
                                 "layernorm",   "ffn",
                                 "activation",  "output_projection",
                                 "input_path",  "init"});
  if (node["preset"]) {
    section.preset = GetChoiceOr(node, "preset", "training.preset", section.preset);
    section.options = PresetTrainingOptions(section.preset);
  }
  TrainingOptions& o = section.options;
  o.optimizer.kind = GetChoiceOr(node, "optimizer", "training.optimizer", o.optimizer.kind);
  if (node["lr"]) {
    o.optimizer.lr = GetFinite(node, "lr", "training.lr");
    if (o.optimizer.lr <= 0) {
      throw std::invalid_argument(fmt::format("training.lr must be > 0, got {}{}", o.optimizer.lr, Where(node["lr"])));
    }
  }
  o.optimizer.schedule = GetChoiceOr(node, "schedule", "training.schedule", o.optimizer.schedule);
  o.optimizer.warmup = GetAtLeast<int>(node, "warmup", o.optimizer.warmup, 0);
  o.steps = GetAtLeast<int>(node, "steps", o.steps, 0);
  o.batch = GetAtLeast<int>(node, "batch", o.batch, 1);
  o.model.loss = GetChoiceOr(node, "loss", "training.loss", o.model.loss);
  o.init_scale = GetNonNegative(node, "init_scale", "training.init_scale", o.init_scale);
  o.model.embedding = GetChoiceOr(node, "embedding", "training.embedding", o.model.embedding);
  o.model.attention = GetChoiceOr(node, "attention", "training.attention", o.model.attention);
  o.model.value = GetChoiceOr(node, "value", "training.value", o.model.value);
  o.model.decoder = GetChoiceOr(node, "decoder", "training.decoder", o.model.decoder);
  o.model.d = GetAtLeast<int>(node, "d", o.model.d, 0);
  o.model.d_k = GetAtLeast<int>(node, "d_k", o.model.d_k, 0);
  if (node["l2"]) {
    const YAML::Node l2 = node["l2"];
    RequireKeys(l2, "training.l2", {"E", "W_K", "W_Q", "W_V"});
    o.model.l2.E = GetNonNegative(l2, "E", "training.l2.E", o.model.l2.E);
    o.model.l2.W_K = GetNonNegative(l2, "W_K", "training.l2.W_K", o.model.l2.W_K);
    o.model.l2.W_Q = GetNonNegative(l2, "W_Q", "training.l2.W_Q", o.model.l2.W_Q);
    o.model.l2.W_V = GetNonNegative(l2, "W_V", "training.l2.W_V", o.model.l2.W_V);
  }
  o.masking = GetChoiceOr(node, "masking", "training.masking", o.masking);
  o.seed = GetOr<std::uint64_t>(node, "seed", "training.seed", o.seed);
  o.threads = GetAtLeast<int>(node, "threads", o.threads, 1, theory::MaxThreads());
  o.record_every = GetAtLeast<int>(node, "record_every", o.record_every, 1);
  section.documents = GetAtLeast<std::size_t>(node, "documents", section.documents, 1);
  section.heldout_documents = GetAtLeast<std::size_t>(node, "heldout_documents", section.heldout_documents, 1);
  section.corpus_seed = GetOr<std::uint64_t>(node, "corpus_seed", "training.corpus_seed", section.corpus_seed);
  Architecture& a = o.architecture;
  a.layers = GetAtLeast<int>(node, "layers", a.layers, 1, 64);
  a.heads = GetAtLeast<int>(node, "heads", a.heads, 1);
  a.residual = GetOr<bool>(node, "residual", "training.residual", a.residual);
  a.layernorm = GetOr<bool>(node, "layernorm", "training.layernorm", a.layernorm);
  a.ffn = GetAtLeast<int>(node, "ffn", a.ffn, 0, 65536);
  a.activation = GetChoiceOr(node, "activation", "training.activation", a.activation);
  a.output_projection = GetOr<bool>(node, "output_projection", "training.output_projection", a.output_projection);
  a.input_path = GetOr<bool>(node, "input_path", "training.input_path", a.input_path);
  o.initialisation = GetChoiceOr(node, "init", "training.init", o.initialisation);
  return section;
}

}  // namespace ldaformer::sim
