// `ldaformer loss`: the population loss of a parameter setting under a scenario.
#pragma once

#include <cstdint>
#include <string>

#include "ldaformer/report/loss_report.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::app {

enum class LossMethod { kExact, kMonteCarlo };

}  // namespace ldaformer::app

namespace ldaformer::theory {
template <>
inline const NameTable<app::LossMethod> kNames<app::LossMethod> = {{app::LossMethod::kExact, "exact"},
                                                                   {app::LossMethod::kMonteCarlo, "mc"}};
}  // namespace ldaformer::theory

namespace ldaformer::app {

struct LossRequest {
  theory::Scenario scenario = theory::PaperSyntheticScenario();
  LossMethod method = LossMethod::kExact;
  theory::LossKind loss = theory::LossKind::kSquared;
  std::string params = "zero";  // see ParseLinearPredictor
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

// Evaluates the request. Exact needs the squared loss and a prior with exact moments; it takes the
// structured O(v^2) path when the scenario has the topic-block structure.
LossResult EvaluateLoss(const LossRequest& request);

}  // namespace ldaformer::app
