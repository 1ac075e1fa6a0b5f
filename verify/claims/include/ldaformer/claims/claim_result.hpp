// The outcome of checking one claim on one scenario: a margin, not only a verdict; a status from a fixed
// set and the reason for it; and the matrices and curves behind it for the report.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/claims/figures.hpp"
#include "ldaformer/theory/names.hpp"

namespace ldaformer::claims {

// What a result says. Only kFails and kUnverified, inside the claim's hypotheses, make `verify` exit 1.
enum class ClaimStatus {
  kHolds,          // margin > 0, every condition met, every cross-check within tolerance
  kFails,          // margin <= 0, or a condition of the conclusion is not met
  kInconclusive,   // a sample average whose margin is within kInconclusiveStandardErrors of 0
  kUnverified,     // the numbers cannot be trusted: a cross-check out of tolerance, a solver not converged,
                   // or a margin that could not be measured
  kNotApplicable,  // the scenario breaks a hypothesis of the claim: computed and reported, never judged
};

// Why a result has its status; exactly one per result, the first that applies in this order.
enum class ClaimReason {
  kHypothesisNotMet,     // not applicable
  kNotConverged,         // unverified
  kCrossCheckFailed,     // unverified
  kNotMeasurable,        // unverified
  kWithinSamplingError,  // inconclusive
  kMarginNotPositive,    // fails
  kConditionNotMet,      // fails
  kNone,                 // holds
};

}  // namespace ldaformer::claims

namespace ldaformer::theory {
template <>
inline const NameTable<claims::ClaimStatus> kNames<claims::ClaimStatus> = {
    {claims::ClaimStatus::kHolds, "holds"},
    {claims::ClaimStatus::kFails, "fails"},
    {claims::ClaimStatus::kInconclusive, "inconclusive"},
    {claims::ClaimStatus::kUnverified, "unverified"},
    {claims::ClaimStatus::kNotApplicable, "not applicable"}};
template <>
inline const NameTable<claims::ClaimReason> kNames<claims::ClaimReason> = {
    {claims::ClaimReason::kHypothesisNotMet, "hypothesis not met"},
    {claims::ClaimReason::kNotConverged, "solver not converged"},
    {claims::ClaimReason::kCrossCheckFailed, "cross-check out of tolerance"},
    {claims::ClaimReason::kNotMeasurable, "not measurable"},
    {claims::ClaimReason::kWithinSamplingError, "within sampling error"},
    {claims::ClaimReason::kMarginNotPositive, "margin <= 0"},
    {claims::ClaimReason::kConditionNotMet, "condition not met"},
    {claims::ClaimReason::kNone, ""}};
}  // namespace ldaformer::theory

namespace ldaformer::claims {

// A sample-average margin within this many standard errors of 0 is inconclusive.
inline constexpr double kInconclusiveStandardErrors = 3.0;

// One hypothesis of a claim, evaluated on the scenario: {"at least two positions per document", false, "N = 1"}.
struct Hypothesis {
  std::string name;
  bool met = false;
  std::string value;  // what the scenario has, in words
};

// A condition of the conclusion besides the margin, e.g. T2's "block residual <= 1e-8": met when
// value <= limit, or value >= limit for a lower bound (D's "stage-2 slope vs log(1/eps) >= 0").
struct Condition {
  std::string name;
  double value = 0.0;
  double limit = 0.0;
  bool lower_bound = false;
  bool Met() const { return lower_bound ? value >= limit : value <= limit; }  // false for NaN
};

// An independent numerical route to the same number, e.g. "gradient flow vs closed form": its error
// (relative or absolute, as the name says) against a tolerance.
struct CrossCheck {
  std::string name;
  double error = 0.0;
  double tolerance = 0.0;
  bool Passed() const { return error <= tolerance; }  // false for NaN
};

// A solver or flow a result depends on, and whether it reached its stopping criterion.
struct SolverRun {
  std::string name;  // "Ceres L-BFGS over S", "dopri5 flow, eps 1e-3"
  bool converged = true;
  std::string message;  // the solver's own termination message
};

struct ClaimResult {
  std::string id;      // "T1-identity", "T2", "T3", "T3-SAA", "D", ...
  std::string claim;   // T1, T2, T3 or D
  std::string method;  // how the margin is computed, in words
  std::vector<Hypothesis> hypotheses;
  double margin = std::numeric_limits<double>::quiet_NaN();  // > 0 when the conclusion holds
  // The margin's standard error, for results computed on a sample; NaN for exact results.
  double standard_error = std::numeric_limits<double>::quiet_NaN();
  std::string not_measurable;  // why the margin is NaN, when it is
  std::vector<Condition> conditions;
  std::vector<CrossCheck> cross_checks;
  std::vector<SolverRun> solves;
  nlohmann::json details;  // the numbers behind the margin, by name
  std::vector<ReportMatrix> matrices;
  std::vector<ReportPlot> plots;
  double seconds = 0.0;  // wall time of the check

  bool HypothesesMet() const;
  // What the numbers say, ignoring the hypotheses: every status but kNotApplicable, with its reason.
  ClaimStatus Verdict() const;
  ClaimReason VerdictReason() const;
  // The status and reason: kNotApplicable / kHypothesisNotMet outside the hypotheses, else the verdict.
  ClaimStatus Status() const { return HypothesesMet() ? Verdict() : ClaimStatus::kNotApplicable; }
  ClaimReason Reason() const { return HypothesesMet() ? VerdictReason() : ClaimReason::kHypothesisNotMet; }
  // The reason with its particulars, e.g. "cross-check out of tolerance: gradient flow vs closed form
  // 8.1e-06 > 1e-06", "hypothesis not met: at least two positions per document (N = 1)"; outside the
  // hypotheses it adds what the numbers say ("; the numbers: fails, condition not met: ...").
  std::string ReasonText() const;
  // The status `verify`'s exit code counts: a failure or an unverified result inside the hypotheses.
  bool CountsAgainst() const;
};

}  // namespace ldaformer::claims
