// The multi-layer, multi-head encoder (docs/SIMULATION.md, "The multi-layer encoder"): L blocks of H
// attention heads over the embedded tokens, each block with switchable residual connections, LayerNorm,
// feed-forward sublayer and attention output projection, then the decoder of the one-layer model.
//
//   X^0 = E x, or LN(E x + p) with the authors' input path (a trained vector p, then LayerNorm)
//   block l:  U = concat_h( W^V_h X  softmax_keys( (W^K_h X)^T (W^Q_h X) / sqrt(d_k) ) )
//             U = W^O U (projection on),  U = U + X (residual on),  U = LN(U) (LayerNorm on)
//             F = W_2 act(W_1 U + b_1) + b_2,  F = F + U,  F = LN(F)    (feed-forward on), X^l = F or U
//   y = X^L (identity decoder) or E^T X^L (tied)
//
// With one layer, one head and every switch off it is the one-layer model of model.hpp. The heads of a
// layer are stacked as row blocks of one matrix: W^K, W^Q are (H d_k) x d and W^V is d x d, head h owning
// rows h d_k .. (h + 1) d_k - 1 (d / H rows of W^V), so a norm "heads concatenated" is the matrix's norm.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ldaformer/sim/model.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/topic_model.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

// A block part on the command line (`--residual on`); the YAML keys are booleans.
enum class Switch { kOff, kOn };

enum class Activation {
  kGelu,  // x Phi(x), the exact (erf) form
  kRelu,  // max(x, 0)
};

inline constexpr int kMaxLayers = 64;

// The blocks of the encoder: how many, how many heads, and which parts each block has. The default is the
// one-layer model of model.hpp (one layer, one head, every part off).
struct Architecture {
  int layers = 1;
  int heads = 1;
  bool residual = false;
  bool layernorm = false;  // LayerNorm (gain and bias trained, epsilon 1e-5) after each sublayer
  int ffn = 0;             // the feed-forward sublayer's hidden width; 0: no feed-forward sublayer
  Activation activation = Activation::kGelu;
  bool output_projection = false;  // W^O (d x d) after the heads are concatenated
  // The authors' input path: a trained vector p added to every embedded token, then a LayerNorm (trained gain
  // and bias), before the first layer.
  bool input_path = false;

  // One layer, one head, no residual, LayerNorm, feed-forward, projection or input path: model.hpp's model.
  bool IsOneLayerModel() const;
  // Throws std::invalid_argument naming the field and the value unless layers is in 1..kMaxLayers, heads >= 1
  // divides the width d, and ffn is in 0..65536.
  void Validate(int d) const;
};

// The encoder's switches. `model` holds what it shares with the one-layer model: the embedding, the
// attention (trainable or frozen uniform in every layer), W^V's mode (a frozen W^V is I or the block
// matrix in every layer), the decoder, the loss, the width d, the key width d_k per head (0: d / H) and the
// L2 weights (applied to E and to every layer's W^K, W^Q, W^V).
struct EncoderConfig {
  ModelConfig model;
  Architecture architecture;

  int Width(const theory::TokenSpace& tokens) const { return model.Width(tokens); }
  int HeadWidth(const theory::TokenSpace& tokens) const { return Width(tokens) / architecture.heads; }
  int KeyWidth(const theory::TokenSpace& tokens) const { return model.d_k > 0 ? model.d_k : HeadWidth(tokens); }

  // Throws std::invalid_argument naming the field and the value (ModelConfig::Validate, Architecture::Validate).
  void Validate(const theory::TokenSpace& tokens) const;
};

// One block's parameters. Absent parts (switched off) are empty 0 x 0 matrices; vectors are d x 1.
struct EncoderLayer {
  theory::Matrix W_K, W_Q;            // (H d_k) x d
  theory::Matrix W_V;                 // d x d
  theory::Matrix W_O;                 // d x d (output projection)
  theory::Matrix ln1_gain, ln1_bias;  // LayerNorm after attention
  theory::Matrix W_1, b_1;            // ffn x d, ffn x 1
  theory::Matrix W_2, b_2;            // d x ffn, d x 1
  theory::Matrix ln2_gain, ln2_bias;  // LayerNorm after the feed-forward sublayer
};

// The encoder's parameters; the same layout holds a gradient (frozen and absent parts empty).
struct EncoderParams {
  theory::Matrix E;                                     // d x n
  theory::Matrix input_vector, input_gain, input_bias;  // d x 1 each: the input path (0 x 0 without)
  std::vector<EncoderLayer> layers;
  theory::Decoder decoder = theory::Decoder::kIdentity;

  int d() const { return static_cast<int>(E.rows()); }
  int n() const { return static_cast<int>(E.cols()); }
};

// Calls f(name, matrix) for every parameter slot of `params` in one fixed order (E, input_vector,
// input_gain, input_bias, then layer by layer
// W_K, W_Q, W_V, W_O, ln1_gain, ln1_bias, W_1, b_1, W_2, b_2, ln2_gain, ln2_bias), empty ones included;
// names are "E" and "layer<l>.<slot>" with l from 1. The optimizer's list and the checkpoints use this order.
void ForEachMatrix(EncoderParams& params, const std::function<void(const std::string&, theory::Matrix&)>& f);
void ForEachMatrix(const EncoderParams& params,
                   const std::function<void(const std::string&, const theory::Matrix&)>& f);

// Whether the slot `name` (as ForEachMatrix names it) is trained under `config` when present: E with a
// trainable embedding, W_K and W_Q with trainable attention, W_V with a trainable value, all others always.
bool IsTrained(const EncoderConfig& config, const std::string& name);

// lambda_X of the slot `name`: config.model.l2's weight for E, and for W^K, W^Q, W^V in every layer; 0 for
// the other slots (W^O, LayerNorm, feed-forward), which are not penalised.
double PenaltyWeight(const EncoderConfig& config, const std::string& name);

// How trained weight matrices start.
enum class Initialisation {
  kScaledNormal,  // init_scale times a fixed standard-normal direction
  kPyTorch,       // PyTorch's nn.Linear default: uniform on +-1 / sqrt(columns), whatever init_scale is
};

// The starting parameters: every trained weight matrix is init_scale times a fixed standard-normal direction
// (the same direction for every init_scale: StreamFor(seed, k) per matrix, k = 0 for E and 16 (l - 1) + j for
// slot j = 1 W^K, 2 W^Q, 3 W^V, 4 W^O, 5 W_1, 6 W_2 of layer l, so layer 1 starts as InitialParams does);
// biases 0, LayerNorm gains 1, the input vector 0; frozen matrices take their fixed values (one-hot E,
// W^K = W^Q = 0, W^V = I or the block matrix). With Initialisation::kPyTorch the weight matrices after E are
// uniform on +-1 / sqrt(columns) from the same streams instead. `config` must be valid.
EncoderParams InitialEncoderParams(const EncoderConfig& config, const theory::TopicModel& topics,
                                   const theory::TokenSpace& tokens, double init_scale, std::uint64_t seed,
                                   Initialisation initialisation = Initialisation::kScaledNormal);

// About the bytes a training run of the encoder holds: the parameters with their gradient, Adam's two moments,
// one accumulator per thread and the W^V history (6 + threads copies), plus per thread one chunk's graph of 8
// documents of up to `max_distinct` distinct tokens (scores and weights H u^2 per layer, activations u d and
// u ffn, each kept for the backward pass). An estimate for refusing sizes that cannot fit, not an account.
double EncoderTrainingBytes(const EncoderConfig& config, const theory::TokenSpace& tokens, int max_distinct,
                            int threads);

// The one-layer model's parameters as a one-layer, one-head encoder with every switch off.
EncoderParams EncoderFromOneLayer(const theory::TransformerParams& params);

}  // namespace ldaformer::sim

namespace ldaformer::theory {

template <>
inline const NameTable<sim::Switch> kNames<sim::Switch> = {{sim::Switch::kOff, "off"}, {sim::Switch::kOn, "on"}};
template <>
inline const NameTable<sim::Initialisation> kNames<sim::Initialisation> = {
    {sim::Initialisation::kScaledNormal, "normal"}, {sim::Initialisation::kPyTorch, "pytorch"}};
template <>
inline const NameTable<sim::Activation> kNames<sim::Activation> = {{sim::Activation::kGelu, "gelu"},
                                                                   {sim::Activation::kRelu, "relu"}};

}  // namespace ldaformer::theory
