#include "ldaformer/claims/verify_options.hpp"

#include <algorithm>

#include "ldaformer/theory/yaml_fields.hpp"

namespace ldaformer::claims {

using namespace theory::yaml;

bool VerifyOptions::Runs(const std::string& claim) const {
  return std::find(claims.begin(), claims.end(), claim) != claims.end();
}

VerifyOptions ParseVerifyOptions(const YAML::Node& root) {
  VerifyOptions options;
  const YAML::Node node = Child(root, "verify", "verify");
  if (!node) return options;
  RequireKeys(node, "verify",
              {"claims", "lambda", "tied_dimensions", "random_starts", "cross_entropy", "saa_documents", "theta_points",
               "bucket_documents", "t3_full_iterations", "d_eps", "d_documents", "d_t_end", "d_key_dimension",
               "d_replicates", "seed"});
  if (node["claims"]) {
    options.claims = GetList<std::string>(node, "claims", "verify.claims");
    for (const std::string& claim : options.claims) {
      if (claim != "T1" && claim != "T2" && claim != "T3" && claim != "D") {
        throw std::invalid_argument(fmt::format("verify.claims must name T1, T2, T3 or D, got '{}'", claim));
      }
    }
  }
  if (node["lambda"]) {
    options.lambda = GetFinite(node, "lambda", "verify.lambda");
    if (options.lambda <= 0)
      throw std::invalid_argument(fmt::format("verify.lambda must be > 0, got {}", options.lambda));
  }
  if (node["tied_dimensions"]) {
    options.tied_dimensions = GetList<int>(node, "tied_dimensions", "verify.tied_dimensions");
    for (const int d : options.tied_dimensions) {
      if (d < 1) throw std::invalid_argument(fmt::format("verify.tied_dimensions must be >= 1, got {}", d));
    }
  }
  // An integer field that must be >= minimum; `note` says what a 0 stands for, where 0 is allowed.
  const auto int_at_least = [&](const char* key, auto& field, long long minimum, const char* note = "") {
    if (!node[key]) return;
    // Read in the field's own type, so a value outside its range is refused, never truncated.
    const auto value = Get<std::remove_reference_t<decltype(field)>>(node, key, std::string("verify.") + key);
    if (static_cast<long long>(value) < minimum) {
      throw std::invalid_argument(fmt::format("verify.{} must be >= {}{}, got {}", key, minimum, note, value));
    }
    field = value;
  };
  int_at_least("random_starts", options.random_starts, 1);
  int_at_least("saa_documents", options.saa_documents, 1);
  int_at_least("theta_points", options.theta_points, 1);
  int_at_least("bucket_documents", options.bucket_documents, 1);
  int_at_least("t3_full_iterations", options.t3_full_iterations, 1);
  int_at_least("d_documents", options.d_documents, 1);
  int_at_least("d_key_dimension", options.d_key_dimension, 0, " (0: n)");
  int_at_least("d_replicates", options.d_replicates, 0, " (0: no standard error)");
  if (node["d_t_end"]) {
    options.d_t_end = GetFinite(node, "d_t_end", "verify.d_t_end");
    if (options.d_t_end <= 0)
      throw std::invalid_argument(fmt::format("verify.d_t_end must be > 0, got {}", options.d_t_end));
  }
  options.cross_entropy = GetOr<bool>(node, "cross_entropy", "verify.cross_entropy", options.cross_entropy);
  options.seed = GetOr<std::uint64_t>(node, "seed", "verify.seed", options.seed);
  if (node["d_eps"]) {
    options.d_eps = GetList<double>(node, "d_eps", "verify.d_eps");
    for (const double eps : options.d_eps) {
      if (!(eps > 0 && eps < 1))
        throw std::invalid_argument(fmt::format("verify.d_eps must be in (0, 1), got {}", eps));
    }
    if (options.d_eps.size() < 2)
      throw std::invalid_argument("verify.d_eps needs at least two scales to measure the scaling");
  }
  return options;
}

}  // namespace ldaformer::claims
