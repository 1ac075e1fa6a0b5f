#include "ldaformer/sim/model.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/sim/streams.hpp"
#include "ldaformer/theory/gaussian_matrix.hpp"

namespace ldaformer::sim {

void ModelConfig::Validate(const theory::TokenSpace& tokens) const {
  const int n = tokens.n();
  if (d < 0) throw std::invalid_argument(fmt::format("model.d must be >= 0 (0 means n), got {}", d));
  if (d_k < 0) throw std::invalid_argument(fmt::format("model.d_k must be >= 0 (0 means d), got {}", d_k));
  const int width = Width(tokens);
  auto require_n = [&](const std::string& what) {
    if (width != n) {
      throw std::invalid_argument(fmt::format("model.d must equal n = {} with {}, got d={}", n, what, width));
    }
  };
  if (decoder == theory::Decoder::kIdentity) require_n("the identity decoder");
  if (embedding == EmbeddingMode::kOneHot) require_n("the one-hot embedding");
  if (value == ValueMode::kBlock) require_n("the frozen block W^V");
  const std::pair<const char*, double> weights[] = {{"E", l2.E}, {"W_K", l2.W_K}, {"W_Q", l2.W_Q}, {"W_V", l2.W_V}};
  for (const auto& [name, lambda] : weights) {
    if (!std::isfinite(lambda) || lambda < 0.0) {
      throw std::invalid_argument(fmt::format("model.l2.{} must be finite and >= 0, got {}", name, lambda));
    }
  }
  if (!TrainsEmbedding() && !TrainsAttention() && !TrainsValue()) {
    throw std::invalid_argument("model: nothing to train (embedding one_hot, attention uniform, value frozen)");
  }
}

theory::Matrix SameTopicIndicator(const theory::TopicModel& topics, int n) {
  std::vector<int> topic(topics.v);
  for (int w = 0; w < topics.v; ++w) topics.beta.col(w).maxCoeff(&topic[w]);
  theory::Matrix B = theory::Matrix::Zero(n, n);
  for (int i = 0; i < topics.v; ++i)
    for (int j = 0; j < topics.v; ++j) B(i, j) = topic[i] == topic[j] ? 1.0 : 0.0;
  return B;
}

namespace {

theory::Matrix RandomMatrix(int rows, int cols, double scale, std::uint64_t seed, std::uint64_t matrix) {
  theory::Rng rng = PurposeStream(seed, StreamPurpose::kInit, matrix);
  return theory::GaussianMatrix(rows, cols, scale, rng);
}

}  // namespace

theory::TransformerParams InitialParams(const ModelConfig& config, const theory::TopicModel& topics,
                                        const theory::TokenSpace& tokens, double init_scale, std::uint64_t seed) {
  if (!std::isfinite(init_scale) || init_scale < 0.0) {
    throw std::invalid_argument(fmt::format("training.init_scale must be finite and >= 0, got {}", init_scale));
  }
  const int n = tokens.n();
  const int d = config.Width(tokens);
  const int d_k = config.KeyWidth(tokens);
  theory::TransformerParams p;
  p.decoder = config.decoder;
  p.E = config.TrainsEmbedding() ? RandomMatrix(d, n, init_scale, seed, 0) : theory::Matrix::Identity(n, n);
  p.W_K = config.TrainsAttention() ? RandomMatrix(d_k, d, init_scale, seed, 1) : theory::Matrix::Zero(d_k, d);
  p.W_Q = config.TrainsAttention() ? RandomMatrix(d_k, d, init_scale, seed, 2) : theory::Matrix::Zero(d_k, d);
  switch (config.value) {
    case ValueMode::kTrainable:
      p.W_V = RandomMatrix(d, d, init_scale, seed, 3);
      break;
    case ValueMode::kIdentity:
      p.W_V = theory::Matrix::Identity(d, d);
      break;
    case ValueMode::kBlock:
      p.W_V = SameTopicIndicator(topics, n);
      break;
  }
  return p;
}

}  // namespace ldaformer::sim
