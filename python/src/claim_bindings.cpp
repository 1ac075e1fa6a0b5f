// The claim checks T1, T2, T3 and D as `ldaformer verify` runs them, with their typed results: margin,
// standard error, status and reason (by the project's name tables), hypotheses, conditions, cross-checks,
// solver runs, details, and the report's JSON of each.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/app/verify_command.hpp"
#include "ldaformer/claims/claims.hpp"
#include "ldaformer/report/verification_report.hpp"

namespace ldaformer::python {

namespace {

using claims::ClaimResult;

// The claims' progress hooks as cancellation points: a check stops between its steps on Ctrl-C.
class CancellableProgress : public claims::Progress {
 public:
  void Begin(const std::string& /*id*/, int /*steps*/) override { theory::CheckCancellation(); }
  void Step(int /*done*/) override { theory::CheckCancellation(); }
  void End(const std::string& /*id*/, double /*seconds*/) override { theory::CheckCancellation(); }
};

// A verification run with the inputs its JSON records.
struct Verification {
  claims::VerificationReport report;
  theory::Scenario scenario;
  claims::VerifyOptions options;
};

Verification Verify(const PyScenario& file, const std::vector<std::string>& claim_ids, int threads) {
  app::VerifyRequest request;
  request.file = file;
  request.claims = claim_ids;
  Verification out{{}, file.scenario, request.Options()};
  CancellableProgress progress;
  LongComputation computation(threads);
  out.report = app::RunVerify(request, progress);
  return out;
}

py::dict MatricesDict(const ClaimResult& r) {
  py::dict out;
  for (const claims::ReportMatrix& matrix : r.matrices) out[py::str(matrix.name)] = matrix.value;
  return out;
}

}  // namespace

void BindClaims(py::module_& m) {
  py::class_<claims::Hypothesis>(m, "Hypothesis", "A hypothesis of a claim evaluated on the scenario.")
      .def_readonly("name", &claims::Hypothesis::name)
      .def_readonly("met", &claims::Hypothesis::met)
      .def_readonly("value", &claims::Hypothesis::value, "What the scenario has, in words.")
      .def("__repr__", [](const claims::Hypothesis& h) {
        return "<Hypothesis " + h.name + (h.met ? " met (" : " not met (") + h.value + ")>";
      });
  py::class_<claims::Condition>(m, "Condition",
                                "A condition of the conclusion besides the margin: met when value <= limit (>= for "
                                "a lower bound).")
      .def_readonly("name", &claims::Condition::name)
      .def_readonly("value", &claims::Condition::value)
      .def_readonly("limit", &claims::Condition::limit)
      .def_readonly("lower_bound", &claims::Condition::lower_bound)
      .def_property_readonly("met", &claims::Condition::Met);
  py::class_<claims::CrossCheck>(m, "CrossCheck", "An independent route to the same number: its error and tolerance.")
      .def_readonly("name", &claims::CrossCheck::name)
      .def_readonly("error", &claims::CrossCheck::error)
      .def_readonly("tolerance", &claims::CrossCheck::tolerance)
      .def_property_readonly("passed", &claims::CrossCheck::Passed);
  py::class_<claims::SolverRun>(m, "SolverRun", "A solver or flow the result depends on.")
      .def_readonly("name", &claims::SolverRun::name)
      .def_readonly("converged", &claims::SolverRun::converged)
      .def_readonly("message", &claims::SolverRun::message);

  py::class_<ClaimResult>(m, "ClaimResult",
                          "One claim checked on one scenario (docs/THEOREMS.md): a margin (> 0 when the "
                          "conclusion holds) with its standard error (NaN for exact results), a status "
                          "('holds', 'fails', 'inconclusive', 'unverified', 'not applicable') and its reason.")
      .def_readonly("id", &ClaimResult::id, "'T1-identity', 'T2', 'T3', 'T3-SAA', 'D', ...")
      .def_readonly("claim", &ClaimResult::claim, "T1, T2, T3 or D.")
      .def_readonly("method", &ClaimResult::method, "How the margin is computed, in words.")
      .def_readonly("margin", &ClaimResult::margin)
      .def_readonly("stderr", &ClaimResult::standard_error, "The margin's standard error; NaN for exact results.")
      .def_readonly("not_measurable", &ClaimResult::not_measurable, "Why the margin is NaN, when it is.")
      .def_property_readonly(
          "status", [](const ClaimResult& r) { return theory::NameOf(r.Status()); }, "The status, by name.")
      .def_property_readonly(
          "reason", [](const ClaimResult& r) { return theory::NameOf(r.Reason()); },
          "The reason for the status, by name ('' when it holds).")
      .def_property_readonly("reason_text", &ClaimResult::ReasonText, "The reason with its particulars.")
      .def_property_readonly("counts_against", &ClaimResult::CountsAgainst,
                             "Whether it fails or is unverified inside its hypotheses (verify exits 1).")
      .def_property_readonly("hypotheses_met", &ClaimResult::HypothesesMet)
      .def_readonly("hypotheses", &ClaimResult::hypotheses)
      .def_readonly("conditions", &ClaimResult::conditions)
      .def_readonly("cross_checks", &ClaimResult::cross_checks)
      .def_readonly("solves", &ClaimResult::solves)
      .def_property_readonly(
          "details", [](const ClaimResult& r) { return FromJson(r.details); },
          "The numbers behind the margin, by name.")
      .def_property_readonly("matrices", &MatricesDict, "The matrices behind the result (name -> array).")
      .def_readonly("seconds", &ClaimResult::seconds, "Wall time of the check.")
      .def(
          "to_dict", [](const ClaimResult& r) { return FromJson(report::ToJson(r)); },
          "The result as `ldaformer verify --json` prints it.")
      .def("__repr__", [](const ClaimResult& r) {
        return "<ClaimResult " + r.id + " " + theory::NameOf(r.Status()) + " margin " + std::to_string(r.margin) + ">";
      });

  py::class_<Verification>(m, "Verification", "The results of one verification run, with the inputs they came from.")
      .def_property_readonly(
          "claims", [](const Verification& v) { return v.report.claims; }, "The ClaimResults, in order.")
      .def_property_readonly(
          "expected_claims_hold", [](const Verification& v) { return v.report.ExpectedClaimsHold(); },
          "No result counts against the claims (verify would exit 0).")
      .def_property_readonly(
          "seconds", [](const Verification& v) { return v.report.seconds; }, "Wall time.")
      .def(
          "to_dict", [](const Verification& v) { return FromJson(report::ToJson(v.report, v.scenario, v.options)); },
          "The report as `ldaformer verify --json` prints it.");

  m.def("verify", &Verify, py::arg("scenario"), py::arg("claims") = std::vector<std::string>(), py::arg("threads") = 0,
        "`ldaformer verify` as a function: the claims (default: the scenario's verify.claims; like --claims T2 T3) "
        "with the scenario's verify: options. threads: cores to use (0: all); the results do not depend on it. "
        "Ctrl-C stops it between steps.");
  m.def(
      "check",
      [](const PyScenario& file, const std::string& claim, int threads) {
        return Verify(file, {claim}, threads).report.claims;
      },
      py::arg("scenario"), py::arg("claim"), py::arg("threads") = 0,
      "The results of one claim (T1, T2, T3 or D), as verify(scenario, [claim]).claims.");
  m.def(
      "claim_hypotheses",
      [](const PyScenario& file, const std::string& claim) { return claims::ClaimHypotheses(file.scenario, claim); },
      py::arg("scenario"), py::arg("claim"), "The hypotheses of a claim evaluated on the scenario.");
}

}  // namespace ldaformer::python
