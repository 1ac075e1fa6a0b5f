// The encoder's training objective and its gradient by automatic differentiation (LibTorch), the same
// objective as objective.hpp: (1/|S|) sum_{i in S} loss(y_i, w_i) + sum_X lambda_X ||X||_F^2.
//
// A bag-of-words document has no positions, and every position reads the same key set, so positions that
// show the same token have the same representation in every layer. A document is therefore run as its u
// distinct shown tokens, each key token a weighted by its count c_a among the key positions: the softmax
// over key positions becomes alpha_a = c_a exp(s_a) / sum_b c_b exp(s_b), that is log c_a added to the
// scores (tokens that are not keys get weight 0). Targets that show the same token share its output.
// The direct run, one column per position, is kept for the tests (EncoderRun::kPositions).
//
// Built only with LDAFORMER_WITH_TORCH (the CMake option, on by default).
#pragma once

#include <vector>

#include "ldaformer/sim/encoder.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/objective.hpp"

namespace ldaformer::sim {

enum class EncoderRun {
  kDistinctTokens,  // one column per distinct shown token, key counts as weights
  kPositions,       // one column per position (the reference)
};

// Evaluates the objective on `batch` and, when `gradient` is not null, its gradient with respect to every
// trained matrix (IsTrained; frozen and absent slots are left empty). Examples are evaluated in fixed
// chunks, in parallel on `threads`, and merged in chunk order: bit-identical for any `threads` >= 1.
// `params` must fit `config` (InitialEncoderParams builds such).
Evaluation EvaluateEncoder(const EncoderParams& params, const EncoderConfig& config,
                           const std::vector<MaskedExample>& batch, EncoderParams* gradient, int threads = 1,
                           EncoderRun run = EncoderRun::kDistinctTokens);

// Every layer's attention on a document shown whole (every position shows its word and is a key, as the
// attention buckets read it): tokens (distinct, ascending) with their counts, and per layer weights(k, l), the
// weight of one position showing tokens[k] on one position showing tokens[l], averaged over the heads.
struct DocumentLayerAttention {
  std::vector<int> tokens;
  std::vector<int> counts;
  std::vector<theory::Matrix> layers;
};

// The layers' attention on each document of `documents` (word ids), in parallel on `threads` (the result does
// not depend on it).
std::vector<DocumentLayerAttention> EncoderAttention(const EncoderParams& params, const EncoderConfig& config,
                                                     const std::vector<std::vector<int>>& documents, int threads = 1);

}  // namespace ldaformer::sim
