// One of the two translation units (with encoder_graph.cpp) that include LibTorch: its headers are slow to
// compile. Parameters enter the graph as tensors over the Eigen matrices' memory (no copies): a column-major
// r x c matrix is a row-major c x r tensor, its transpose, which is what X W^T needs for row-wise tokens.
#include "ldaformer/sim/encoder_objective.hpp"

#include <malloc.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <torch/torch.h>

#include "encoder_graph.hpp"
#include "ldaformer/theory/blas_threads.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::sim {
namespace {

// Examples per chunk: one graph per chunk, chunks summed in order, so the split does not depend on threads.
constexpr std::size_t kExamplesPerChunk = 8;

// The leaves of one chunk's graph, in ForEachMatrix's order (undefined tensors for empty slots).
struct Leaves {
  std::vector<torch::Tensor> tensors;
  std::vector<torch::Tensor> trained;  // the ones that require a gradient
};

Leaves MakeLeaves(const EncoderParams& params, const EncoderConfig& config, bool with_gradient) {
  Leaves leaves;
  ForEachMatrix(params, [&](const std::string& name, const theory::Matrix& M) {
    if (M.size() == 0) {
      leaves.tensors.emplace_back();
      return;
    }
    // The tensor only reads the memory; const_cast because from_blob takes a mutable pointer.
    torch::Tensor t = torch::from_blob(const_cast<double*>(M.data()), {M.cols(), M.rows()},
                                       torch::TensorOptions().dtype(torch::kFloat64));
    if (with_gradient && IsTrained(config, name)) {
      t.requires_grad_(true);
      leaves.trained.push_back(t);
    }
    leaves.tensors.push_back(t);
  });
  return leaves;
}

// The graph's parameters from the leaves: E and the input path first, then slot k of layer l at 4 + 12 l + k.
GraphParams FromLeaves(const Leaves& leaves, int layers) {
  GraphParams g;
  g.E_t = leaves.tensors[0];
  g.input_vector = leaves.tensors[1];
  g.input_gain = leaves.tensors[2];
  g.input_bias = leaves.tensors[3];
  for (int l = 0; l < layers; ++l) {
    const auto* t = &leaves.tensors[4 + 12 * l];
    g.layers.push_back({t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]});
  }
  return g;
}

// A chunk of examples as padded columns (GraphBatch), built from the examples' positions.
GraphBatch BuildBatch(const std::vector<MaskedExample>& batch, std::size_t begin, std::size_t end, EncoderRun run) {
  struct Columns {
    std::vector<int> tokens;
    std::vector<double> key_counts;
    std::map<std::pair<int, int>, double> targets;  // (column, word) -> how many targets
  };
  std::vector<Columns> examples;
  std::size_t width = 1;
  for (std::size_t e = begin; e < end; ++e) {
    const MaskedExample& ex = batch[e];
    Columns c;
    std::vector<int> column_of(ex.inputs.size());
    c.tokens = ex.inputs;
    if (run == EncoderRun::kPositions) {
      for (std::size_t i = 0; i < ex.inputs.size(); ++i) column_of[i] = static_cast<int>(i);
    } else {
      std::sort(c.tokens.begin(), c.tokens.end());
      c.tokens.erase(std::unique(c.tokens.begin(), c.tokens.end()), c.tokens.end());
      for (std::size_t i = 0; i < ex.inputs.size(); ++i) {
        column_of[i] =
            static_cast<int>(std::lower_bound(c.tokens.begin(), c.tokens.end(), ex.inputs[i]) - c.tokens.begin());
      }
    }
    c.key_counts.assign(c.tokens.size(), 0.0);
    for (int j : ex.keys) c.key_counts[column_of[j]] += 1.0;
    for (int i : ex.targets) c.targets[{column_of[i], ex.words[i]}] += 1.0;
    width = std::max(width, c.tokens.size());
    examples.push_back(std::move(c));
  }
  const auto B = static_cast<std::int64_t>(examples.size());
  const auto u = static_cast<std::int64_t>(width);
  GraphBatch g;
  g.tokens = torch::zeros({B, u}, torch::kInt64);
  g.key_counts = torch::zeros({B, u}, torch::kFloat64);
  auto tokens = g.tokens.accessor<std::int64_t, 2>();
  auto counts = g.key_counts.accessor<double, 2>();
  std::vector<std::int64_t> rows, words;
  std::vector<double> weights;
  for (std::int64_t b = 0; b < B; ++b) {
    const Columns& c = examples[b];
    for (std::size_t k = 0; k < c.tokens.size(); ++k) {
      tokens[b][k] = c.tokens[k];
      counts[b][k] = c.key_counts[k];
    }
    for (const auto& [key, weight] : c.targets) {
      rows.push_back(b * u + key.first);
      words.push_back(key.second);
      weights.push_back(weight);
    }
  }
  const auto T = static_cast<std::int64_t>(rows.size());
  g.target_rows = torch::from_blob(rows.data(), {T}, torch::kInt64).clone();
  g.target_words = torch::from_blob(words.data(), {T}, torch::kInt64).clone();
  g.target_weights = torch::from_blob(weights.data(), {T}, torch::kFloat64).clone();
  return g;
}

// A graph allocates and frees tensors of 0.1 to 10 MB per chunk. glibc serves blocks above its mmap threshold
// with fresh mappings and unmaps them when freed, so every evaluation page-faulted its memory in again
// (measured: 5,800 faults per step of the paper's 4-layer run, 40% of its time in the kernel). Raising the
// threshold and the trim limit keeps freed blocks in the heap for the next chunk; it changes no number.
bool KeepFreedMemory() {
  constexpr int kBytes = 1 << 30;
  return mallopt(M_MMAP_THRESHOLD, kBytes) == 1 && mallopt(M_TRIM_THRESHOLD, kBytes) == 1;
}

// Our threads run the chunks; LibTorch's and OpenBLAS's own pools would only compete with them (and make sums
// depend on the thread count), so both stay at one thread while a computation here runs.
struct OwnThreadsOnly {
  OwnThreadsOnly() {
    at::set_num_threads(1);
    static const bool kept = KeepFreedMemory();
    (void)kept;
  }
  theory::BlasThreadsScope blas{1};
};

// One chunk's sum of target losses and, with leaves that require gradients, d(sum)/d(leaf) per trained leaf.
struct ChunkResult {
  double loss_sum = 0.0;
  std::vector<theory::Matrix> gradients;  // aligned with the trained slots
};

}  // namespace

Evaluation EvaluateEncoder(const EncoderParams& params, const EncoderConfig& config,
                           const std::vector<MaskedExample>& batch, EncoderParams* gradient, int threads,
                           EncoderRun run) {
  if (static_cast<int>(params.layers.size()) != config.architecture.layers) {
    throw std::invalid_argument(fmt::format("encoder parameters have {} layers, the configuration {}",
                                            params.layers.size(), config.architecture.layers));
  }
  const OwnThreadsOnly own_threads;

  std::size_t targets = 0;
  for (const MaskedExample& ex : batch) targets += ex.targets.size();

  // One accumulator per trained slot, in ForEachMatrix's order (MakeLeaves lists the trained leaves so).
  ChunkResult zero;
  ForEachMatrix(params, [&](const std::string& name, const theory::Matrix& M) {
    if (gradient != nullptr && M.size() > 0 && IsTrained(config, name)) {
      zero.gradients.push_back(theory::Matrix::Zero(M.rows(), M.cols()));
    }
  });

  const std::size_t chunks = (batch.size() + kExamplesPerChunk - 1) / kExamplesPerChunk;
  const GraphOptions options = GraphOptionsOf(config, params.d());
  ChunkResult total = theory::DeterministicParallelReduce(
      chunks, zero,
      [&](std::uint64_t c, ChunkResult& acc) {
        const std::size_t begin = c * kExamplesPerChunk;
        const GraphBatch chunk = BuildBatch(batch, begin, std::min(batch.size(), begin + kExamplesPerChunk), run);
        std::optional<torch::NoGradGuard> no_grad;
        if (gradient == nullptr) no_grad.emplace();
        const Leaves leaves = MakeLeaves(params, config, gradient != nullptr);
        const torch::Tensor loss = TargetLossSum(FromLeaves(leaves, config.architecture.layers), options, chunk);
        acc.loss_sum += loss.item<double>();
        if (gradient == nullptr || leaves.trained.empty()) return;
        const auto grads = torch::autograd::grad({loss}, leaves.trained, {}, false, false, /*allow_unused=*/true);
        for (std::size_t k = 0; k < grads.size(); ++k) {
          if (!grads[k].defined()) continue;  // the slot does not reach this chunk's loss
          const torch::Tensor g = grads[k].contiguous();
          // The gradient of the transposed view, row-major c x r, is the matrix's gradient column-major r x c.
          acc.gradients[k] +=
              Eigen::Map<const theory::Matrix>(g.data_ptr<double>(), acc.gradients[k].rows(), acc.gradients[k].cols());
        }
      },
      [](ChunkResult& into, const ChunkResult& from) {
        into.loss_sum += from.loss_sum;
        for (std::size_t k = 0; k < into.gradients.size(); ++k) into.gradients[k] += from.gradients[k];
      },
      threads, 1);

  Evaluation e;
  e.targets = targets;
  e.data_loss = targets > 0 ? total.loss_sum / static_cast<double>(targets) : 0.0;
  std::vector<theory::Matrix*> gradient_slots;
  if (gradient != nullptr) {
    *gradient = EncoderParams{};
    gradient->decoder = params.decoder;
    gradient->layers.resize(params.layers.size());
    ForEachMatrix(*gradient, [&](const std::string&, theory::Matrix& G) { gradient_slots.push_back(&G); });
  }
  // The penalty lambda_X ||X||^2 and, on the trained slots, d(data_loss)/dX + 2 lambda_X X.
  const double scale = targets > 0 ? 1.0 / static_cast<double>(targets) : 0.0;
  std::size_t slot = 0, k = 0;
  ForEachMatrix(params, [&](const std::string& name, const theory::Matrix& M) {
    if (M.size() > 0 && IsTrained(config, name)) {
      const double lambda = PenaltyWeight(config, name);
      e.penalty += lambda * M.squaredNorm();
      if (gradient != nullptr) *gradient_slots[slot] = scale * total.gradients[k++] + 2.0 * lambda * M;
    }
    ++slot;
  });
  e.objective = e.data_loss + e.penalty;
  return e;
}

std::vector<DocumentLayerAttention> EncoderAttention(const EncoderParams& params, const EncoderConfig& config,
                                                     const std::vector<std::vector<int>>& documents, int threads) {
  const OwnThreadsOnly own_threads;
  const torch::NoGradGuard no_grad;
  std::vector<MaskedExample> shown(documents.size());
  for (std::size_t d = 0; d < documents.size(); ++d) {
    shown[d].words = shown[d].inputs = documents[d];
    shown[d].keys.resize(documents[d].size());
    for (std::size_t i = 0; i < documents[d].size(); ++i) shown[d].keys[i] = static_cast<int>(i);
  }
  std::vector<DocumentLayerAttention> out(documents.size());
  const std::size_t chunks = (documents.size() + kExamplesPerChunk - 1) / kExamplesPerChunk;
  const GraphOptions options = GraphOptionsOf(config, params.d());
  // Each document lands in its own slot: the reduction only schedules the chunks.
  theory::DeterministicParallelReduce(
      chunks, 0,
      [&](std::uint64_t c, int&) {
        const std::size_t begin = c * kExamplesPerChunk;
        const std::size_t end = std::min(documents.size(), begin + kExamplesPerChunk);
        const GraphBatch chunk = BuildBatch(shown, begin, end, EncoderRun::kDistinctTokens);
        std::vector<torch::Tensor> attention;
        Representations(FromLeaves(MakeLeaves(params, config, false), config.architecture.layers), options, chunk,
                        &attention);
        const auto tokens = chunk.tokens.accessor<std::int64_t, 2>();
        const auto counts = chunk.key_counts.accessor<double, 2>();
        for (std::size_t e = begin; e < end; ++e) {
          const auto b = static_cast<std::int64_t>(e - begin);
          DocumentLayerAttention& doc = out[e];
          for (std::int64_t k = 0; k < chunk.tokens.size(1) && counts[b][k] > 0; ++k) {
            doc.tokens.push_back(static_cast<int>(tokens[b][k]));
            doc.counts.push_back(static_cast<int>(counts[b][k]));
          }
          const auto K = static_cast<Eigen::Index>(doc.tokens.size());
          for (const torch::Tensor& layer : attention) {
            const auto alpha = layer.accessor<double, 3>();
            theory::Matrix w(K, K);
            // alpha is the weight on all positions of a token; one position gets alpha / count.
            for (Eigen::Index k = 0; k < K; ++k)
              for (Eigen::Index l = 0; l < K; ++l) w(k, l) = alpha[b][k][l] / doc.counts[l];
            doc.layers.push_back(std::move(w));
          }
        }
      },
      [](int&, int) {}, threads, 1);
  return out;
}

}  // namespace ldaformer::sim
