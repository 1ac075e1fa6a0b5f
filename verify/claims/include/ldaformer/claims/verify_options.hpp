// What `ldaformer verify` computes, read from the scenario file's `verify:` section:
//   verify:
//     claims: [T1, T2, T3, D]      # which claims to run (default: all)
//     lambda: 1.0e-3               # T2 penalty, also the W^V that T3 and D start from
//     tied_dimensions: [10, 55, 101]  # d for T1 with the tied decoder (default: T, (T+n)/2, n)
//     random_starts: 3             # Ceres starts for the non-convex tied decoder
//     cross_entropy: true          # also the sample-average cross-entropy versions of T1 and T2
//     saa_documents: 1500          # documents in each sample-average approximation
//     theta_points: 256            # quasi-Monte Carlo points over theta for the N -> infinity limit
//     bucket_documents: 200        # unmasked documents for the attention buckets
//     t3_full_iterations: 50       # L-BFGS iterations over the full score matrix S (T3)
//     d_eps: [1.0e-2, 1.0e-3, 1.0e-4]  # initial scales for claim D
//     d_documents: 100             # sampled documents whose average loss the D flow descends
//     d_t_end: 1.0e5               # end of the D flow; stage 2 must start well before it
//     d_key_dimension: 0           # d_k, rows of W^K and W^Q in the D flow (0: n)
//     d_replicates: 2              # D flows on independent samples for the margin's standard error (0: none)
//     seed: 1
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace ldaformer::claims {

struct VerifyOptions {
  std::vector<std::string> claims = {"T1", "T2", "T3", "D"};
  double lambda = 1e-3;
  std::vector<int> tied_dimensions;  // empty: T, (T + n) / 2, n
  int random_starts = 3;
  bool cross_entropy = true;
  std::uint64_t saa_documents = 1500;
  int theta_points = 256;
  std::uint64_t bucket_documents = 200;
  int t3_full_iterations = 50;
  std::vector<double> d_eps = {1e-2, 1e-3, 1e-4};
  std::uint64_t d_documents = 100;
  double d_t_end = 1e5;  // the paper's setting needs it: stage 2 starts near t = 3e4 at v = 100
  int d_key_dimension = 0;
  // Each replicate is one more flow (at the worst run's eps), so two of them add about 2/3 to D's time.
  int d_replicates = 2;
  std::uint64_t seed = 1;

  bool Runs(const std::string& claim) const;
};

// Parses the `verify:` section (a missing section gives the defaults). Throws std::invalid_argument naming
// the field (verify.lambda, ...) and the value.
VerifyOptions ParseVerifyOptions(const YAML::Node& root);

}  // namespace ldaformer::claims
