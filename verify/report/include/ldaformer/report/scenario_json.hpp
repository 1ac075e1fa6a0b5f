// The inputs of a run as JSON, so that a report says exactly what was computed: the resolved scenario
// (every field, defaults filled in, in the scenario file's own names) and the verify options.
#pragma once

#include <nlohmann/json.hpp>

#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::report {

// {"name", "topics": {"T", "v", "disjoint_uniform", "beta" (unless A1)}, "prior": {"kind", "alpha" | "k"},
//  "length": {"kind", "N" | "min", "max" | "values", "probs"}, "masking": {"p_m", "p_c", "p_r", "keys",
//  "replacement"}, "special_tokens", "description"}
nlohmann::json ToJson(const theory::Scenario& scenario);

// Every field of the verify: section, as the run used it.
nlohmann::json ToJson(const claims::VerifyOptions& options);

}  // namespace ldaformer::report
