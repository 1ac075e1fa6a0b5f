// The result of `ldaformer loss` and its JSON.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::report {

// A population loss, with what it was computed for.
struct LossResult {
  double loss = 0.0;
  double standard_error = 0.0;  // 0 for exact
  std::string method;           // "exact" or "mc"
  std::string path;             // exact: "structured" or "dense"; mc: "monte-carlo"
  theory::LossKind loss_kind = theory::LossKind::kSquared;
  std::string model = "linear";  // "linear" or "transformer"
  std::string params;            // the predictor's spec
  std::string scenario;          // the scenario's name
  std::uint64_t samples = 0;     // mc: documents
  std::uint64_t seed = 0;        // mc: seed
  double seconds = 0.0;          // mc: wall time of the estimate (not part of the result: it varies)
};

// {"loss", "method", "path", "model", "loss_kind", "params", "scenario"}, and for mc "stderr", "samples",
// "seed" and "documents_per_second".
nlohmann::json ToJson(const LossResult& result);

}  // namespace ldaformer::report
