// Exact second moments A, C, E[xbar], p1 and the exact squared loss (with its gradient) of y = M xbar + b;
// the `loss` command as a function.
#include <optional>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/app/loss_command.hpp"
#include "ldaformer/report/loss_report.hpp"
#include "ldaformer/theory/second_moments.hpp"
#include "ldaformer/theory/squared_loss.hpp"
#include "predictor_arguments.hpp"

namespace ldaformer::python {

namespace {

using theory::LinearPredictor;
using theory::Matrix;
using theory::Vector;

// The loss (and gradient) by the path `ldaformer loss --method exact` takes: structured when the scenario
// has the topic-block structure, dense otherwise.
py::object ExactLoss(const PyScenario& file, const Matrix& M, const std::optional<Vector>& b, bool gradient) {
  const theory::Scenario& scenario = file.scenario;
  const LinearPredictor predictor = PredictorArgument(M, b, scenario.tokens().n());
  if (!scenario.prior.HasExactMoments()) {
    throw std::invalid_argument("exact_loss: the prior has no exact second moment; use monte_carlo_loss");
  }
  LinearPredictor grad;
  double loss = 0.0;
  {
    LongComputation computation(0);
    loss = scenario.HasTopicBlockStructure()
               ? theory::ExactSquaredLoss(theory::ExactStructuredSecondMoments(scenario), predictor, &grad)
               : theory::ExactSquaredLoss(theory::ExactSecondMoments(scenario), predictor, &grad);
  }
  if (!gradient) return py::float_(loss);
  return py::make_tuple(loss, py::cast(std::move(grad.M)), py::cast(std::move(grad.b)));
}

}  // namespace

void BindMoments(py::module_& m) {
  py::class_<theory::SecondMoments>(
      m, "SecondMoments",
      "Exact moments of the uniform-attention average xbar at a selected token, per selected token: A = "
      "E[e_w xbar^T], C = E[xbar xbar^T], xbar_mean = E[xbar], p1 = E[e_w]. The arrays are read-only views "
      "of the C++ matrices (no copy).")
      .def_readonly("A", &theory::SecondMoments::A, "E[e_w xbar^T], n x n.")
      .def_readonly("C", &theory::SecondMoments::C, "E[xbar xbar^T], n x n.")
      .def_readonly("xbar_mean", &theory::SecondMoments::xbar_mean, "E[xbar], n.")
      .def_readonly("p1", &theory::SecondMoments::p1, "E[e_w], n.");

  m.def(
      "second_moments",
      [](const PyScenario& file) {
        LongComputation computation(0);
        return theory::ExactSecondMoments(file.scenario);
      },
      py::arg("scenario"),
      "The exact dense second moments A, C, E[xbar], p1 of the scenario (theory/second_moments.hpp).");

  m.def(
      "predictor",
      [](const PyScenario& file, const std::string& spec) {
        LinearPredictor p = app::ParseLinearPredictor(spec, file.scenario);
        return py::make_tuple(py::cast(std::move(p.M)), py::cast(std::move(p.b)));
      },
      py::arg("scenario"), py::arg("params"),
      "The predictor (M, b) named as by `ldaformer loss --params`: 'zero', 'identity', 'random:SEED' or "
      "'block:a,b,c'.");

  m.def("exact_loss", &ExactLoss, py::arg("scenario"), py::arg("M"), py::arg("b") = py::none(),
        py::arg("gradient") = false,
        "The exact squared population loss per selected token of y = M xbar + b (b None: 0), by the path of "
        "`ldaformer loss --method exact`. With gradient=True, (loss, dL/dM, dL/db).");

  m.def(
      "exact_loss_from_moments",
      [](const theory::SecondMoments& moments, const Matrix& M, const std::optional<Vector>& b, bool gradient) {
        const LinearPredictor predictor = PredictorArgument(M, b, static_cast<int>(moments.A.rows()));
        LinearPredictor grad;
        const double loss = theory::ExactSquaredLoss(moments, predictor, &grad);
        if (!gradient) return py::object(py::float_(loss));
        return py::object(py::make_tuple(loss, py::cast(std::move(grad.M)), py::cast(std::move(grad.b))));
      },
      py::arg("moments"), py::arg("M"), py::arg("b") = py::none(), py::arg("gradient") = false,
      "The exact squared loss from dense moments (O(n^3)): tr(M C M^T) - 2 <M, A> + 1 + 2 b^T M E[xbar] + |b|^2 - "
      "2 b^T p1; with gradient=True, (loss, dL/dM, dL/db).");

  m.def(
      "loss",
      [](const PyScenario& file, const std::string& params, const std::string& method, const std::string& loss,
         std::uint64_t samples, std::uint64_t seed, int threads) {
        app::LossRequest request;
        request.scenario = file.scenario;
        request.params = params;
        request.method = theory::ParseName<app::LossMethod>("method", method);
        request.loss = theory::ParseName<theory::LossKind>("loss", loss);
        request.samples = samples;
        request.seed = seed;
        request.threads = threads;
        nlohmann::json out;
        {
          LongComputation computation(threads);
          out = report::ToJson(app::EvaluateLoss(request));
        }
        return FromJson(out);
      },
      py::arg("scenario"), py::arg("params") = "zero", py::arg("method") = "exact", py::arg("loss") = "squared",
      py::arg("samples") = 20000, py::arg("seed") = 1, py::arg("threads") = 0,
      "`ldaformer loss` as a function: the dict its --json prints ({'loss', 'method', 'path', 'loss_kind', "
      "'params', 'scenario'} and for method 'mc' 'stderr', 'samples', 'seed').");
}

}  // namespace ldaformer::python
