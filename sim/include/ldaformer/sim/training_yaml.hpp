// The `training:` section of a scenario file: the options of `ldaformer train`. Every field is optional;
// omitted ones keep the defaults passed in (the plain defaults, or a preset's).
//
//   training:
//     preset: authors                  # none | authors | authors-full: PresetTrainingOptions(), AuthorsScenario()
//     optimizer: adam                  # sgd | adam
//     lr: 0.01
//     schedule: constant               # constant | linear (decay to 0 at the last step)
//     steps: 1000
//     batch: 40
//     loss: cross_entropy              # squared | cross_entropy
//     init_scale: 0.01                 # trained matrices start at N(0, init_scale^2)
//     embedding: trainable             # trainable | one_hot
//     attention: uniform               # trainable | uniform
//     value: trainable                 # trainable | identity | block
//     decoder: identity                # identity | tied
//     d: 0                             # embedding width, 0 = n
//     d_k: 0                           # key/query width, 0 = d
//     l2: {E: 0, W_K: 0, W_Q: 0, W_V: 0.001}
//     masking: static                  # static | dynamic
//     seed: 1                          # initialisation, masks, batch order
//     threads: 1
//     record_every: 10                 # trajectory resolution in steps
//     documents: 10000                 # sampled training corpus (when no corpus file is given)
//     heldout_documents: 1000          # sampled held-out corpus for loss and attention buckets
//     corpus_seed: 1                   # training corpus; the held-out corpus uses corpus_seed + 1
//     layers: 1                        # the encoder (encoder.hpp): layers 1..64, heads dividing d
//     heads: 1
//     residual: false
//     layernorm: false
//     ffn: 0                           # feed-forward width, 0 = none
//     activation: gelu                 # gelu | relu
//     output_projection: false
//     input_path: false                # the authors' trained input vector and LayerNorm
//     init: normal                     # normal (N(0, init_scale^2)) | pytorch (uniform +-1/sqrt(columns))
// Errors name the field, the value and the line: "training.batch must be >= 1, got 0 (line 12)".
#pragma once

#include <cstddef>
#include <cstdint>

#include <yaml-cpp/yaml.h>

#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/trainer.hpp"

namespace ldaformer::sim {

// Everything `ldaformer train` reads from the training section.
struct TrainingSection {
  Preset preset = Preset::kNone;
  TrainingOptions options;
  std::size_t documents = 10000;
  std::size_t heldout_documents = 1000;
  std::uint64_t corpus_seed = 1;
};

// Reads root["training"] on top of `defaults` (when there is no section, returns `defaults`). With
// `preset: authors` (or authors-full) the options start from PresetTrainingOptions(preset) instead, and the
// other fields override the preset's.
TrainingSection ParseTrainingSection(const YAML::Node& root, TrainingSection defaults = {});

}  // namespace ldaformer::sim
