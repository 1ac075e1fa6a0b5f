// Results built by hand, one of each status, for the report's tests: no claim is run.
#pragma once

#include <limits>
#include <vector>

#include "ldaformer/claims/claim_result.hpp"

namespace ldaformer::report {

inline std::vector<claims::ClaimResult> OneResultOfEachStatus() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  claims::ClaimResult holds;
  holds.id = "T2";
  holds.claim = "T2";
  holds.method = "closed form W* = A (C + lambda I)^-1, block residual and margins by topic";
  holds.hypotheses = {{"A1 topics", true, "T = 10, v = 100"}, {"exact second moments", true, "Dirichlet"}};
  holds.margin = 0.25;
  holds.conditions = {{"block residual", 1e-12, 1e-8}};
  holds.seconds = 0.5;

  claims::ClaimResult fails = holds;
  fails.id = "T2-blurred";
  fails.margin = -0.125;

  claims::ClaimResult inconclusive;
  inconclusive.id = "T3-SAA";
  inconclusive.claim = "T3";
  inconclusive.method = "sample-average approximation of the attention loss over 1500 documents, Ceres L-BFGS";
  inconclusive.hypotheses = {{"at least two positions per document", true, "N = 100..150"}};
  inconclusive.margin = 0.01;
  inconclusive.standard_error = 0.02;

  // A cross-check whose name alone is longer than the reason column: the reason must wrap, whole.
  claims::ClaimResult unverified = inconclusive;
  unverified.id = "T3";
  unverified.standard_error = nan;
  unverified.cross_checks = {
      {"quasi-Monte Carlo limit over theta against the sample average at the largest "
       "document length, relative difference of the bucket margins",
       8.1e-6, 1e-6}};

  claims::ClaimResult not_applicable;
  not_applicable.id = "D";
  not_applicable.claim = "D";
  not_applicable.method = "dopri5 flow of W^K, W^Q, W^V from scale eps";
  not_applicable.hypotheses = {{"at least two positions per document", false, "N = 1"}};
  not_applicable.margin = nan;
  not_applicable.not_measurable = "no run reached stage 2";
  return {holds, fails, inconclusive, unverified, not_applicable};
}

}  // namespace ldaformer::report
