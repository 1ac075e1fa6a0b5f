// The trainable one-layer transformer of docs/MODEL.md: which parts train, which are frozen, and how
// the trained ones start.
#pragma once

#include <cstdint>
#include <string>

#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/topic_model.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

enum class EmbeddingMode {
  kTrainable,  // E (d x n) learned
  kOneHot,     // E = I, d = n
};

enum class AttentionMode {
  kTrainable,  // W^K, W^Q (d_k x d) learned
  kUniform,    // W^K = W^Q = 0: every key gets weight 1/|keys|
};

enum class ValueMode {
  kTrainable,  // W^V (d x d) learned
  kIdentity,   // W^V = I
  kBlock,      // W^V = the same-topic indicator B on the word block, 0 on special tokens (d = n)
};

// The L2 penalty lambda_X ||X||_F^2 added to the objective for each trained matrix X (frozen matrices
// are not penalised). The objective is then  loss per selected token + sum_X lambda_X ||X||_F^2.
struct L2Penalty {
  double E = 0.0;
  double W_K = 0.0;
  double W_Q = 0.0;
  double W_V = 0.0;
};

// The model's switches (docs/MODEL.md). Masking switches (key set, replacement alphabet) belong to the
// scenario; static versus dynamic masking to the training options.
struct ModelConfig {
  EmbeddingMode embedding = EmbeddingMode::kTrainable;
  AttentionMode attention = AttentionMode::kUniform;
  ValueMode value = ValueMode::kTrainable;
  theory::Decoder decoder = theory::Decoder::kIdentity;
  theory::LossKind loss = theory::LossKind::kCrossEntropy;
  int d = 0;    // embedding width; 0 means n. The identity decoder, one-hot E and block W^V need d = n.
  int d_k = 0;  // key/query width; 0 means d
  L2Penalty l2;

  int Width(const theory::TokenSpace& tokens) const { return d > 0 ? d : tokens.n(); }
  int KeyWidth(const theory::TokenSpace& tokens) const { return d_k > 0 ? d_k : Width(tokens); }
  bool TrainsEmbedding() const { return embedding == EmbeddingMode::kTrainable; }
  bool TrainsAttention() const { return attention == AttentionMode::kTrainable; }
  bool TrainsValue() const { return value == ValueMode::kTrainable; }

  // Throws std::invalid_argument naming the field and the value when the switches do not fit together
  // (e.g. the identity decoder with d != n), a width is negative, an L2 weight is negative or not
  // finite, or nothing is trainable.
  void Validate(const theory::TokenSpace& tokens) const;
};

// The same-topic indicator on the word block of an n x n matrix: B(w, w') = 1 when words w and w' have
// the same topic (under a general beta: the same most likely topic), 0 elsewhere and on special tokens.
theory::Matrix SameTopicIndicator(const theory::TopicModel& topics, int n);

// The starting parameters: every trained matrix has i.i.d. N(0, init_scale^2) entries drawn from
// StreamFor(seed, k) for matrix k (E, W^K, W^Q, W^V); frozen matrices take their fixed values. `topics`
// is only read for the block W^V. `config` must be valid.
theory::TransformerParams InitialParams(const ModelConfig& config, const theory::TopicModel& topics,
                                        const theory::TokenSpace& tokens, double init_scale, std::uint64_t seed);

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::EmbeddingMode> kNames<sim::EmbeddingMode> = {{sim::EmbeddingMode::kTrainable, "trainable"},
                                                                         {sim::EmbeddingMode::kOneHot, "one_hot"}};
template <>
inline const NameTable<sim::AttentionMode> kNames<sim::AttentionMode> = {{sim::AttentionMode::kTrainable, "trainable"},
                                                                         {sim::AttentionMode::kUniform, "uniform"}};
template <>
inline const NameTable<sim::ValueMode> kNames<sim::ValueMode> = {{sim::ValueMode::kTrainable, "trainable"},
                                                                 {sim::ValueMode::kIdentity, "identity"},
                                                                 {sim::ValueMode::kBlock, "block"}};

}  // namespace ldaformer::theory
