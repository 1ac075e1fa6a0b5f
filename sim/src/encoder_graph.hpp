// The encoder's forward pass as a LibTorch graph (encoder.hpp writes it out), over a chunk of examples as
// padded columns. Private to sim/: only encoder_graph.cpp and encoder_objective.cpp include LibTorch.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "ldaformer/sim/encoder.hpp"

namespace ldaformer::sim {

// Parameters as tensors, each the transpose of its matrix (row-major c x r over a column-major r x c
// matrix); undefined where the slot is empty. Vectors are 1 x d.
struct GraphLayer {
  torch::Tensor W_K_t, W_Q_t, W_V_t, W_O_t, ln1_gain, ln1_bias, W_1_t, b_1, W_2_t, b_2, ln2_gain, ln2_bias;
};
struct GraphParams {
  torch::Tensor E_t;                                   // n x d
  torch::Tensor input_vector, input_gain, input_bias;  // 1 x d each, undefined without the input path
  std::vector<GraphLayer> layers;
};

// B examples of u columns each (padded): the token each column shows, its weight as a key (its count among
// the key positions; 0 for a column that is not a key and for padding), and the targets: the flat row
// b u + column of the column they read, their true word, and how many targets share that pair.
struct GraphBatch {
  torch::Tensor tokens;                                     // B x u, int64
  torch::Tensor key_counts;                                 // B x u, float64
  torch::Tensor target_rows, target_words, target_weights;  // T each
};

struct GraphOptions {
  int heads = 1;
  int d_k = 0;  // per head
  bool residual = false;
  bool layernorm = false;
  bool ffn = false;
  Activation activation = Activation::kGelu;
  bool output_projection = false;
  bool input_path = false;
  theory::Decoder decoder = theory::Decoder::kIdentity;
  theory::LossKind loss = theory::LossKind::kCrossEntropy;
};

GraphOptions GraphOptionsOf(const EncoderConfig& config, int d);

// The representations X^l (B x u x d) after every layer, X^0 the embedded tokens first; with `attention`
// not null, each layer's attention weights averaged over heads (B x u x u: query column, key column).
std::vector<torch::Tensor> Representations(const GraphParams& p, const GraphOptions& o, const GraphBatch& batch,
                                           std::vector<torch::Tensor>* attention = nullptr);

// sum over targets of weight * loss(y_column, word): the objective's numerator for the chunk (a scalar).
torch::Tensor TargetLossSum(const GraphParams& p, const GraphOptions& o, const GraphBatch& batch);

}  // namespace ldaformer::sim
