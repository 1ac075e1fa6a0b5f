#include "ldaformer/report/loss_report.hpp"

namespace ldaformer::report {

nlohmann::json ToJson(const LossResult& result) {
  nlohmann::json out;
  out["loss"] = result.loss;
  if (result.method == "mc") {
    out["stderr"] = result.standard_error;
    out["samples"] = result.samples;
    out["seed"] = result.seed;
    out["documents_per_second"] = result.seconds > 0.0 ? double(result.samples) / result.seconds : 0.0;
  }
  out["method"] = result.method;
  out["path"] = result.path;
  out["model"] = result.model;
  out["loss_kind"] = theory::NameOf(result.loss_kind);
  out["params"] = result.params;
  out["scenario"] = result.scenario;
  return out;
}

}  // namespace ldaformer::report
