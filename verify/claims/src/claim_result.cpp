#include "ldaformer/claims/claim_result.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ldaformer::claims {

bool ClaimResult::HypothesesMet() const {
  return std::all_of(hypotheses.begin(), hypotheses.end(), [](const Hypothesis& h) { return h.met; });
}

ClaimReason ClaimResult::VerdictReason() const {
  if (std::any_of(solves.begin(), solves.end(), [](const SolverRun& s) { return !s.converged; })) {
    return ClaimReason::kNotConverged;
  }
  if (std::any_of(cross_checks.begin(), cross_checks.end(), [](const CrossCheck& c) { return !c.Passed(); })) {
    return ClaimReason::kCrossCheckFailed;
  }
  if (std::isnan(margin)) return ClaimReason::kNotMeasurable;
  if (std::isfinite(standard_error) && std::abs(margin) <= kInconclusiveStandardErrors * standard_error) {
    return ClaimReason::kWithinSamplingError;
  }
  if (!(margin > 0)) return ClaimReason::kMarginNotPositive;
  if (std::any_of(conditions.begin(), conditions.end(), [](const Condition& c) { return !c.Met(); })) {
    return ClaimReason::kConditionNotMet;
  }
  return ClaimReason::kNone;
}

ClaimStatus ClaimResult::Verdict() const {
  switch (VerdictReason()) {
    case ClaimReason::kNotConverged:
    case ClaimReason::kCrossCheckFailed:
    case ClaimReason::kNotMeasurable:
      return ClaimStatus::kUnverified;
    case ClaimReason::kWithinSamplingError:
      return ClaimStatus::kInconclusive;
    case ClaimReason::kMarginNotPositive:
    case ClaimReason::kConditionNotMet:
      return ClaimStatus::kFails;
    case ClaimReason::kNone:
    case ClaimReason::kHypothesisNotMet:
      break;
  }
  return ClaimStatus::kHolds;
}

namespace {

// The particulars of a verdict's reason: which solver, cross-check or condition, with its numbers.
std::string VerdictParticulars(const ClaimResult& r) {
  std::vector<std::string> parts;
  switch (r.VerdictReason()) {
    case ClaimReason::kNotConverged:
      for (const SolverRun& s : r.solves) {
        if (!s.converged) parts.push_back(s.message.empty() ? s.name : fmt::format("{} ({})", s.name, s.message));
      }
      break;
    case ClaimReason::kCrossCheckFailed:
      for (const CrossCheck& c : r.cross_checks) {
        if (!c.Passed()) parts.push_back(fmt::format("{} {:.3g} > {:.3g}", c.name, c.error, c.tolerance));
      }
      break;
    case ClaimReason::kNotMeasurable:
      if (!r.not_measurable.empty()) parts.push_back(r.not_measurable);
      break;
    case ClaimReason::kWithinSamplingError:
      parts.push_back(
          fmt::format("|{:.3g}| <= {:g} x {:.3g}", r.margin, kInconclusiveStandardErrors, r.standard_error));
      break;
    case ClaimReason::kConditionNotMet:
      for (const Condition& c : r.conditions) {
        if (!c.Met())
          parts.push_back(fmt::format("{} {:.3g} {} {:.3g}", c.name, c.value, c.lower_bound ? "<" : ">", c.limit));
      }
      break;
    case ClaimReason::kMarginNotPositive:
    case ClaimReason::kNone:
    case ClaimReason::kHypothesisNotMet:
      break;
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string WithParticulars(const std::string& reason, const std::string& particulars) {
  return particulars.empty() ? reason : reason + ": " + particulars;
}

}  // namespace

std::string ClaimResult::ReasonText() const {
  const std::string verdict = WithParticulars(theory::NameOf(VerdictReason()), VerdictParticulars(*this));
  if (HypothesesMet()) return verdict;
  std::vector<std::string> unmet;
  for (const Hypothesis& h : hypotheses) {
    if (!h.met) unmet.push_back(h.value.empty() ? h.name : fmt::format("{} ({})", h.name, h.value));
  }
  const std::string numbers =
      VerdictReason() == ClaimReason::kNone ? theory::NameOf(Verdict()) : theory::NameOf(Verdict()) + ", " + verdict;
  return fmt::format("{}: {}; the numbers: {}", theory::NameOf(ClaimReason::kHypothesisNotMet), fmt::join(unmet, "; "),
                     numbers);
}

bool ClaimResult::CountsAgainst() const {
  const ClaimStatus status = Status();
  return status == ClaimStatus::kFails || status == ClaimStatus::kUnverified;
}

}  // namespace ldaformer::claims
