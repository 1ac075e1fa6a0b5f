#include "ldaformer/sim/encoder.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/random/uniform_real_distribution.hpp>

#include "ldaformer/sim/streams.hpp"
#include "ldaformer/theory/gaussian_matrix.hpp"
#include "ldaformer/theory/memory_check.hpp"

namespace ldaformer::sim {

bool Architecture::IsOneLayerModel() const {
  return layers == 1 && heads == 1 && !residual && !layernorm && ffn == 0 && !output_projection && !input_path;
}

void Architecture::Validate(int d) const {
  if (layers < 1 || layers > kMaxLayers) {
    throw std::invalid_argument(fmt::format("training.layers must be in 1..{}, got {}", kMaxLayers, layers));
  }
  if (heads < 1 || d % heads != 0) {
    throw std::invalid_argument(fmt::format("training.heads must be >= 1 and divide d = {}, got {}", d, heads));
  }
  if (ffn < 0 || ffn > 65536)
    throw std::invalid_argument(fmt::format("training.ffn must be in 0..65536 (0: off), got {}", ffn));
}

void EncoderConfig::Validate(const theory::TokenSpace& tokens) const {
  model.Validate(tokens);
  architecture.Validate(Width(tokens));
}

namespace {

// The slot names of a layer, in ForEachMatrix's order; the init stream of slot j (1-based) is 16 (l - 1) + j.
constexpr std::array<const char*, 12> kLayerSlots = {"W_K", "W_Q", "W_V", "W_O", "ln1_gain", "ln1_bias",
                                                     "W_1", "b_1", "W_2", "b_2", "ln2_gain", "ln2_bias"};

template <class Params, class Fn>
void VisitSlots(Params& p, Fn&& f) {
  f(std::string("E"), p.E);
  f(std::string("input_vector"), p.input_vector);
  f(std::string("input_gain"), p.input_gain);
  f(std::string("input_bias"), p.input_bias);
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    auto& L = p.layers[l];
    decltype(&L.W_K) slots[] = {&L.W_K, &L.W_Q, &L.W_V, &L.W_O, &L.ln1_gain, &L.ln1_bias,
                                &L.W_1, &L.b_1, &L.W_2, &L.b_2, &L.ln2_gain, &L.ln2_bias};
    for (std::size_t j = 0; j < kLayerSlots.size(); ++j) f(fmt::format("layer{}.{}", l + 1, kLayerSlots[j]), *slots[j]);
  }
}

// The part of a slot name after "layer<l>.".
std::string SlotOf(const std::string& name) {
  const auto dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

theory::Matrix Direction(int rows, int cols, double scale, std::uint64_t seed, std::uint64_t stream,
                         Initialisation initialisation) {
  theory::Rng rng = PurposeStream(seed, StreamPurpose::kInit, stream);
  if (initialisation == Initialisation::kScaledNormal) return theory::GaussianMatrix(rows, cols, scale, rng);
  const double bound = 1.0 / std::sqrt(static_cast<double>(cols));
  boost::random::uniform_real_distribution<double> uniform(-bound, bound);
  theory::Matrix X(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) X(i, j) = uniform(rng);
  return X;
}

}  // namespace

void ForEachMatrix(EncoderParams& params, const std::function<void(const std::string&, theory::Matrix&)>& f) {
  VisitSlots(params, f);
}

void ForEachMatrix(const EncoderParams& params,
                   const std::function<void(const std::string&, const theory::Matrix&)>& f) {
  VisitSlots(params, f);
}

bool IsTrained(const EncoderConfig& config, const std::string& name) {
  const std::string slot = SlotOf(name);
  if (slot == "E") return config.model.TrainsEmbedding();
  if (slot == "W_K" || slot == "W_Q") return config.model.TrainsAttention();
  if (slot == "W_V") return config.model.TrainsValue();
  return true;
}

double PenaltyWeight(const EncoderConfig& config, const std::string& name) {
  const std::string slot = SlotOf(name);
  const L2Penalty& l2 = config.model.l2;
  if (slot == "E") return l2.E;
  if (slot == "W_K") return l2.W_K;
  if (slot == "W_Q") return l2.W_Q;
  if (slot == "W_V") return l2.W_V;
  return 0.0;
}

EncoderParams InitialEncoderParams(const EncoderConfig& config, const theory::TopicModel& topics,
                                   const theory::TokenSpace& tokens, double init_scale, std::uint64_t seed,
                                   Initialisation initialisation) {
  if (!std::isfinite(init_scale) || init_scale < 0.0) {
    throw std::invalid_argument(fmt::format("training.init_scale must be finite and >= 0, got {}", init_scale));
  }
  // Layer 1's attention and value, and E, come from InitialParams itself: the one-layer model's start.
  const theory::TransformerParams first = InitialParams(config.model, topics, tokens, init_scale, seed);
  const int d = config.Width(tokens);
  const Architecture& a = config.architecture;
  const int width_k = a.heads * config.KeyWidth(tokens);
  EncoderParams p;
  p.decoder = config.model.decoder;
  p.E = first.E;
  if (a.input_path) {
    p.input_vector = theory::Matrix::Zero(d, 1);
    p.input_gain = theory::Matrix::Ones(d, 1);
    p.input_bias = theory::Matrix::Zero(d, 1);
  }
  for (int l = 0; l < a.layers; ++l) {
    const std::uint64_t base = 16 * static_cast<std::uint64_t>(l);
    auto random = [&](int rows, int cols, int slot) {
      return Direction(rows, cols, init_scale, seed, base + slot, initialisation);
    };
    EncoderLayer L;
    if (config.model.TrainsAttention()) {
      L.W_K = random(width_k, d, 1);
      L.W_Q = random(width_k, d, 2);
    } else {
      L.W_K = L.W_Q = theory::Matrix::Zero(width_k, d);
    }
    L.W_V = config.model.TrainsValue() ? random(d, d, 3) : first.W_V;
    if (a.output_projection) L.W_O = random(d, d, 4);
    if (a.layernorm) {
      L.ln1_gain = theory::Matrix::Ones(d, 1);
      L.ln1_bias = theory::Matrix::Zero(d, 1);
    }
    if (a.ffn > 0) {
      L.W_1 = random(a.ffn, d, 5);
      L.b_1 = theory::Matrix::Zero(a.ffn, 1);
      L.W_2 = random(d, a.ffn, 6);
      L.b_2 = theory::Matrix::Zero(d, 1);
      if (a.layernorm) {
        L.ln2_gain = theory::Matrix::Ones(d, 1);
        L.ln2_bias = theory::Matrix::Zero(d, 1);
      }
    }
    p.layers.push_back(std::move(L));
  }
  return p;
}

double EncoderTrainingBytes(const EncoderConfig& config, const theory::TokenSpace& tokens, int max_distinct,
                            int threads) {
  const Architecture& a = config.architecture;
  const double d = config.Width(tokens), n = tokens.n(), heads = a.heads, ffn = a.ffn, u = max_distinct;
  const double width_k = heads * config.KeyWidth(tokens);
  const double per_layer =
      2.0 * width_k * d + d * d + (a.output_projection ? d * d : 0.0) + 2.0 * ffn * d + ffn + 5.0 * d;
  const double parameters = d * n + 3.0 * d + a.layers * per_layer;
  // Per layer and document: queries, keys, scores, weights and their gradients, about 8 H u^2 and 20 u d
  // (12 u ffn with the feed-forward sublayer).
  const double graph = 8.0 * a.layers * (8.0 * heads * u * u + 20.0 * u * d + 12.0 * u * ffn);
  return theory::DoublesBytes((6.0 + threads) * parameters + threads * graph);
}

EncoderParams EncoderFromOneLayer(const theory::TransformerParams& params) {
  EncoderParams p;
  p.decoder = params.decoder;
  p.E = params.E;
  EncoderLayer L;
  L.W_K = params.W_K;
  L.W_Q = params.W_Q;
  L.W_V = params.W_V;
  p.layers.push_back(std::move(L));
  return p;
}

}  // namespace ldaformer::sim
