#include "encoder_graph.hpp"

#include <cmath>
#include <limits>

namespace ldaformer::sim {

GraphOptions GraphOptionsOf(const EncoderConfig& config, int d) {
  GraphOptions o;
  const Architecture& a = config.architecture;
  o.heads = a.heads;
  o.d_k = config.model.d_k > 0 ? config.model.d_k : d / a.heads;
  o.residual = a.residual;
  o.layernorm = a.layernorm;
  o.ffn = a.ffn > 0;
  o.activation = a.activation;
  o.output_projection = a.output_projection;
  o.input_path = a.input_path;
  o.decoder = config.model.decoder;
  o.loss = config.model.loss;
  return o;
}

namespace {

constexpr double kLayerNormEpsilon = 1e-5;  // PyTorch's default, the authors' nn.LayerNorm

// (B, u, H * w) -> (B, H, u, w): one slice per head.
torch::Tensor SplitHeads(const torch::Tensor& x, int heads) {
  const auto B = x.size(0), u = x.size(1);
  return x.view({B, u, heads, x.size(2) / heads}).transpose(1, 2);
}

// alpha = c exp(s) / sum c exp(s) over the key columns of each query row (0 on the others); 0 for every column
// when an example has no keys (the empty key set gives u = 0, as in the one-layer model). The shift by the largest key
// score is detached: softmax does not depend on it.
torch::Tensor CountWeightedSoftmax(const torch::Tensor& scores, const torch::Tensor& counts) {
  // Scores of non-keys are set to -inf before exp: exp of a large non-key score would overflow, and inf * 0 is NaN.
  const torch::Tensor keys_only = scores.masked_fill(counts == 0, -std::numeric_limits<double>::infinity());
  torch::Tensor shift = keys_only.amax(-1, true).detach();
  shift = torch::where(torch::isinf(shift), torch::zeros_like(shift), shift);
  const torch::Tensor weighted = (keys_only - shift).exp() * counts;
  // With at least one key the sum is >= its count times exp(0) >= 1, so the floor acts only on empty key sets.
  return weighted / weighted.sum(-1, true).clamp_min(std::numeric_limits<double>::min());
}

torch::Tensor Normalised(const torch::Tensor& x, const torch::Tensor& gain, const torch::Tensor& bias) {
  const auto d = x.size(-1);
  return torch::layer_norm(x, {d}, gain.view({d}), bias.view({d}), kLayerNormEpsilon);
}

}  // namespace

std::vector<torch::Tensor> Representations(const GraphParams& p, const GraphOptions& o, const GraphBatch& batch,
                                           std::vector<torch::Tensor>* attention) {
  const auto B = batch.tokens.size(0), u = batch.tokens.size(1);
  torch::Tensor embedded = p.E_t.index_select(0, batch.tokens.reshape({B * u})).view({B, u, -1});
  if (o.input_path) embedded = Normalised(embedded + p.input_vector, p.input_gain, p.input_bias);
  std::vector<torch::Tensor> X{embedded};
  const torch::Tensor counts = batch.key_counts.view({B, 1, 1, u});
  const double inv_sqrt_dk = 1.0 / std::sqrt(static_cast<double>(o.d_k));
  for (const GraphLayer& L : p.layers) {
    const torch::Tensor& x = X.back();
    const torch::Tensor Q = SplitHeads(x.matmul(L.W_Q_t), o.heads);
    const torch::Tensor K = SplitHeads(x.matmul(L.W_K_t), o.heads);
    const torch::Tensor V = SplitHeads(x.matmul(L.W_V_t), o.heads);
    const torch::Tensor alpha = CountWeightedSoftmax(Q.matmul(K.transpose(-1, -2)) * inv_sqrt_dk, counts);
    if (attention != nullptr) attention->push_back(alpha.mean(1));
    torch::Tensor h = alpha.matmul(V).transpose(1, 2).reshape({B, u, -1});
    if (o.output_projection) h = h.matmul(L.W_O_t);
    if (o.residual) h = h + x;
    if (o.layernorm) h = Normalised(h, L.ln1_gain, L.ln1_bias);
    if (o.ffn) {
      torch::Tensor f = h.matmul(L.W_1_t) + L.b_1;
      f = o.activation == Activation::kGelu ? torch::gelu(f) : torch::relu(f);
      f = f.matmul(L.W_2_t) + L.b_2;
      if (o.residual) f = f + h;
      if (o.layernorm) f = Normalised(f, L.ln2_gain, L.ln2_bias);
      h = f;
    }
    X.push_back(h);
  }
  return X;
}

torch::Tensor TargetLossSum(const GraphParams& p, const GraphOptions& o, const GraphBatch& batch) {
  const torch::Tensor x = Representations(p, o, batch).back();
  const torch::Tensor y = o.decoder == theory::Decoder::kTied ? x.matmul(p.E_t.t()) : x;
  const torch::Tensor rows = y.reshape({-1, y.size(2)}).index_select(0, batch.target_rows);
  const torch::Tensor y_w = rows.gather(1, batch.target_words.view({-1, 1})).squeeze(1);
  // TokenLossFromBase: ||y||^2 - 2 y_w + 1 (squared), log sum exp y - y_w (cross-entropy).
  const torch::Tensor loss =
      o.loss == theory::LossKind::kSquared ? rows.pow(2).sum(1) - 2.0 * y_w + 1.0 : rows.logsumexp(1) - y_w;
  return (batch.target_weights * loss).sum();
}

}  // namespace ldaformer::sim
