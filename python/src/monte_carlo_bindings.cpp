// Monte Carlo estimates with standard errors: the loss of the linear predictor and of the full one-layer
// transformer (squared or cross-entropy), the second moments and the squared-loss gradient
// (theory/monte_carlo.hpp). Reproducible from (seed, document index), whatever the thread count.
#include <optional>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "predictor_arguments.hpp"

namespace ldaformer::python {

namespace {

using theory::Matrix;
using theory::MonteCarloOptions;
using theory::Vector;

MonteCarloOptions Options(std::uint64_t documents, std::uint64_t seed, int threads, bool selected_targets,
                          int infinite_length) {
  MonteCarloOptions options;
  options.documents = documents;
  options.seed = seed;
  options.threads = threads;
  options.targets = selected_targets ? theory::TargetPositions::kSelected : theory::TargetPositions::kEveryPosition;
  options.infinite_length = infinite_length;
  return options;
}

py::dict EstimateDict(theory::MatrixEstimate&& estimate) {
  py::dict out;
  out["value"] = py::cast(std::move(estimate.value));
  out["stderr"] = py::cast(std::move(estimate.standard_error));
  return out;
}

const char* kOptionsDoc =
    " documents: sampled documents (>= 2); seed: document d is a pure function of (seed, d); threads: 0 for "
    "every core (the result does not depend on it); selected_targets: only the positions the masking selected "
    "(else every position, conditioned on being selected: same expectation, lower variance); infinite_length: "
    "N for an infinite length law.";

}  // namespace

void BindMonteCarlo(py::module_& m) {
  py::class_<theory::ScalarEstimate>(m, "Estimate",
                                     "A Monte Carlo estimate per selected token, with its standard error.")
      .def_readonly("value", &theory::ScalarEstimate::value, "The estimate.")
      .def_readonly("stderr", &theory::ScalarEstimate::standard_error, "Its standard error (delta method).")
      .def_readonly("documents", &theory::ScalarEstimate::documents, "Documents sampled.")
      .def_readonly("targets", &theory::ScalarEstimate::targets, "Target tokens used.")
      .def("__repr__", [](const theory::ScalarEstimate& e) {
        return "<ldaformer.Estimate " + std::to_string(e.value) + " +- " + std::to_string(e.standard_error) + ">";
      });

  m.def(
      "monte_carlo_loss",
      [](const PyScenario& file, const Matrix& M, const std::optional<Vector>& b, const std::string& loss,
         std::uint64_t documents, std::uint64_t seed, int threads, bool selected_targets, int infinite_length) {
        const theory::LinearPredictor predictor = PredictorArgument(M, b, file.scenario.tokens().n());
        const theory::LossKind kind = theory::ParseName<theory::LossKind>("loss", loss);
        LongComputation computation(threads);
        return theory::MonteCarloLoss(file.scenario, predictor, kind,
                                      Options(documents, seed, threads, selected_targets, infinite_length));
      },
      py::arg("scenario"), py::arg("M"), py::arg("b") = py::none(), py::arg("loss") = "squared",
      py::arg("documents") = 20000, py::arg("seed") = 1, py::arg("threads") = 0, py::arg("selected_targets") = false,
      py::arg("infinite_length") = 2000,
      (std::string("The population loss of the uniform-attention linear predictor y = M xbar + b ('squared' or "
                   "'cross_entropy') by Monte Carlo, as an Estimate.") +
       kOptionsDoc)
          .c_str());

  m.def(
      "monte_carlo_transformer_loss",
      [](const PyScenario& file, const Matrix& E, const Matrix& W_K, const Matrix& W_Q, const Matrix& W_V,
         const std::string& decoder, const std::string& loss, std::uint64_t documents, std::uint64_t seed, int threads,
         bool selected_targets, int infinite_length) {
        theory::TransformerParams params{E, W_K, W_Q, W_V, theory::ParseName<theory::Decoder>("decoder", decoder)};
        params.Validate();
        if (params.n() != file.scenario.tokens().n()) {
          throw std::invalid_argument("E must have n = " + std::to_string(file.scenario.tokens().n()) +
                                      " columns, got " + std::to_string(params.n()));
        }
        const theory::LossKind kind = theory::ParseName<theory::LossKind>("loss", loss);
        LongComputation computation(threads);
        return theory::MonteCarloLoss(file.scenario, params, kind,
                                      Options(documents, seed, threads, selected_targets, infinite_length));
      },
      py::arg("scenario"), py::arg("E"), py::arg("W_K"), py::arg("W_Q"), py::arg("W_V"),
      py::arg("decoder") = "identity", py::arg("loss") = "squared", py::arg("documents") = 20000, py::arg("seed") = 1,
      py::arg("threads") = 0, py::arg("selected_targets") = false, py::arg("infinite_length") = 2000,
      (std::string("The population loss of the full one-layer transformer (E d x n, W_K and W_Q d_k x d, W_V d x d, "
                   "decoder 'identity' or 'tied'; softmax attention over the scenario's key set) by Monte Carlo.") +
       kOptionsDoc)
          .c_str());

  m.def(
      "monte_carlo_second_moments",
      [](const PyScenario& file, std::uint64_t documents, std::uint64_t seed, int threads, bool selected_targets,
         int infinite_length) {
        theory::SecondMomentEstimate estimate;
        {
          LongComputation computation(threads);
          estimate = theory::MonteCarloSecondMoments(
              file.scenario, Options(documents, seed, threads, selected_targets, infinite_length));
        }
        py::dict out;
        out["A"] = EstimateDict(std::move(estimate.A));
        out["C"] = EstimateDict(std::move(estimate.C));
        out["xbar_mean"] = EstimateDict(std::move(estimate.xbar_mean));
        out["documents"] = estimate.documents;
        return out;
      },
      py::arg("scenario"), py::arg("documents") = 20000, py::arg("seed") = 1, py::arg("threads") = 0,
      py::arg("selected_targets") = false, py::arg("infinite_length") = 2000,
      (std::string("A, C and E[xbar] by Monte Carlo: {'A': {'value', 'stderr'}, 'C': ..., 'xbar_mean': ... (an "
                   "n x 1 matrix), 'documents'}, elementwise standard errors.") +
       kOptionsDoc)
          .c_str());

  m.def(
      "monte_carlo_gradient",
      [](const PyScenario& file, const Matrix& M, const std::optional<Vector>& b, std::uint64_t documents,
         std::uint64_t seed, int threads, bool selected_targets, int infinite_length) {
        const int n = file.scenario.tokens().n();
        const theory::LinearPredictor predictor = PredictorArgument(M, b, n);
        theory::MatrixEstimate estimate;
        {
          LongComputation computation(threads);
          estimate = theory::MonteCarloSquaredLossGradient(
              file.scenario, predictor, Options(documents, seed, threads, selected_targets, infinite_length));
        }
        py::dict out;
        out["M"] = py::cast(Matrix(estimate.value.leftCols(n)));
        out["b"] = py::cast(Vector(estimate.value.col(n)));
        out["M_stderr"] = py::cast(Matrix(estimate.standard_error.leftCols(n)));
        out["b_stderr"] = py::cast(Vector(estimate.standard_error.col(n)));
        return out;
      },
      py::arg("scenario"), py::arg("M"), py::arg("b") = py::none(), py::arg("documents") = 20000, py::arg("seed") = 1,
      py::arg("threads") = 0, py::arg("selected_targets") = false, py::arg("infinite_length") = 2000,
      (std::string("dL/dM and dL/db of the squared loss of y = M xbar + b by Monte Carlo, with elementwise "
                   "standard errors: {'M', 'b', 'M_stderr', 'b_stderr'}.") +
       kOptionsDoc)
          .c_str());
}

}  // namespace ldaformer::python
