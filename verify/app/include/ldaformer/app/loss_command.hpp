// `ldaformer loss`: the population loss of a parameter setting under a scenario.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ldaformer/report/loss_report.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::app {

enum class LossMethod { kExact, kMonteCarlo };

// Whose loss: the uniform-attention linear predictor y = M xbar + b, or the full one-layer transformer
// (softmax attention over the scenario's key set, docs/MODEL.md).
enum class LossModel { kLinear, kTransformer };

}  // namespace ldaformer::app

namespace ldaformer::theory {
template <>
inline const NameTable<app::LossMethod> kNames<app::LossMethod> = {{app::LossMethod::kExact, "exact"},
                                                                   {app::LossMethod::kMonteCarlo, "mc"}};
template <>
inline const NameTable<app::LossModel> kNames<app::LossModel> = {{app::LossModel::kLinear, "linear"},
                                                                 {app::LossModel::kTransformer, "transformer"}};
}  // namespace ldaformer::theory

namespace ldaformer::app {

struct LossRequest {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  LossModel model = LossModel::kLinear;
  std::optional<LossMethod> method;  // unset: DefaultMethod
  theory::LossKind loss = theory::LossKind::kSquared;
  std::string params = "zero";  // see ParseLinearPredictor and ParseTransformerParams
  std::uint64_t samples = 20000;
  std::uint64_t seed = 1;
  int threads = 0;
};

using report::LossResult;

// The linear predictor y = M xbar + b (one-hot embedding, uniform attention, identity decoder,
// W^V = M) named by `spec`:
//   zero            M = 0, b = 0
//   identity        M = I, b = 0
//   random:SEED     M, b with i.i.d. N(0, 1/n) entries
//   block:a,b,c     M = a I + b B + c J on the word block (A1 only), 0 elsewhere, b = 0
// Throws std::invalid_argument naming --params and the value.
theory::LinearPredictor ParseLinearPredictor(const std::string& spec, const theory::Scenario& scenario);

// The full model's parameters named by `spec` (n = the scenario's tokens, d = n, identity decoder):
//   zero, identity, block:a,b,c   one-hot E, W^K = W^Q = 0 (uniform attention), W^V = M of
//                                  ParseLinearPredictor (so the loss is the linear predictor's with b = 0)
//   random:SEED                    one-hot E; W^K, W^Q (d_k = n) with i.i.d. N(0, 1) entries (scores of
//                                  order 1);
//                                  W^V with N(0, 1/n) entries
//   checkpoint:FILE                the parameters of a training checkpoint (`ldaformer train --out DIR`
//                                  writes DIR/checkpoint.json); its n must be the scenario's
// Throws std::invalid_argument naming --params and the value.
theory::TransformerParams ParseTransformerParams(const std::string& spec, const theory::Scenario& scenario);

// The method when the request names none: exact where a closed form exists (the linear model's squared
// loss under a prior with exact moments), Monte Carlo otherwise.
LossMethod DefaultMethod(const LossRequest& request);

// Evaluates the request. The full model is evaluated by Monte Carlo with the selected positions as
// targets (the training objective's documents). Exact needs the squared loss and a prior with exact moments; it takes
// the structured O(v^2) path when the scenario has the topic-block structure.
LossResult EvaluateLoss(const LossRequest& request);

}  // namespace ldaformer::app
