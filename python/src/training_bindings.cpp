// Training the one-layer transformer as `ldaformer train` does (app::RunTrain): the learned matrices, the
// trajectory, the predicates of the trained matrices, and the report written to a directory.
#include <optional>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/app/train_command.hpp"
#include "ldaformer/claims/block_structure.hpp"

namespace ldaformer::python {

namespace {

using report::TrainResult;

// The trajectory as columns: one NumPy array per field.
py::dict TrajectoryDict(const std::vector<sim::TrajectoryPoint>& points) {
  std::vector<int> step;
  std::vector<double> objective, data_loss, norm_E, norm_W_K, norm_W_Q, norm_W_V;
  for (const sim::TrajectoryPoint& p : points) {
    step.push_back(p.step);
    objective.push_back(p.objective);
    data_loss.push_back(p.data_loss);
    norm_E.push_back(p.norm_E);
    norm_W_K.push_back(p.norm_W_K);
    norm_W_Q.push_back(p.norm_W_Q);
    norm_W_V.push_back(p.norm_W_V);
  }
  py::dict out;
  out["step"] = py::array_t<int>(step.size(), step.data());
  out["objective"] = py::array_t<double>(objective.size(), objective.data());
  out["data_loss"] = py::array_t<double>(data_loss.size(), data_loss.data());
  out["norm_E"] = py::array_t<double>(norm_E.size(), norm_E.data());
  out["norm_W_K"] = py::array_t<double>(norm_W_K.size(), norm_W_K.data());
  out["norm_W_Q"] = py::array_t<double>(norm_W_Q.size(), norm_W_Q.data());
  out["norm_W_V"] = py::array_t<double>(norm_W_V.size(), norm_W_V.data());
  return out;
}

TrainResult Train(const PyScenario& file, const std::string& out, const std::string& corpus,
                  const std::string& heldout_corpus, const std::string& resume, const std::optional<int>& threads) {
  app::TrainRequest request;
  request.file = file;
  request.file.training.options.progress = false;  // no bar on the notebook's stderr
  if (threads) request.file.training.options.threads = *threads == 0 ? theory::DefaultThreads() : *threads;
  request.out_directory = out;
  request.corpus_file = corpus;
  request.heldout_file = heldout_corpus;
  request.resume_file = resume;
  LongComputation computation(threads.value_or(0));
  return app::RunTrain(request);
}

}  // namespace

void BindTraining(py::module_& m) {
  // Matrices are read-only views into the result (no copy); they live as long as the result does.
  const auto matrix = [](theory::Matrix theory::TransformerParams::*field) {
    return [field](const TrainResult& r) -> const theory::Matrix& { return r.training.params.*field; };
  };
  py::class_<TrainResult>(m, "TrainResult",
                          "A training run of `ldaformer train`: the learned matrices, the trajectory, the held-out "
                          "loss and the T1/T2/T3/D predicates of the trained matrices.")
      .def_property_readonly("E", matrix(&theory::TransformerParams::E), py::return_value_policy::reference_internal,
                             "Embedding, d x n.")
      .def_property_readonly("W_K", matrix(&theory::TransformerParams::W_K),
                             py::return_value_policy::reference_internal, "Keys, d_k x d.")
      .def_property_readonly("W_Q", matrix(&theory::TransformerParams::W_Q),
                             py::return_value_policy::reference_internal, "Queries, d_k x d.")
      .def_property_readonly("W_V", matrix(&theory::TransformerParams::W_V),
                             py::return_value_policy::reference_internal, "Values, d x d.")
      .def_readonly("scores", &TrainResult::scores, "Attention scores S(query, key), n x n.")
      .def_readonly("gram_matrix", &TrainResult::gram_matrix, "E^T E over the words, v x v.")
      .def_property_readonly(
          "trajectory", [](const TrainResult& r) { return TrajectoryDict(r.training.trajectory); },
          "The recorded points: {'step', 'objective', 'data_loss', 'norm_E', 'norm_W_K', 'norm_W_Q', 'norm_W_V'}, "
          "one array each.")
      .def_property_readonly(
          "termination", [](const TrainResult& r) { return theory::NameOf(r.training.termination); },
          "'completed', 'stopped' or 'diverged'.")
      .def_property_readonly(
          "message", [](const TrainResult& r) { return r.training.message; }, "Why it stopped, when it diverged.")
      .def_property_readonly(
          "steps_taken", [](const TrainResult& r) { return r.training.steps_taken; }, "Optimizer steps in total.")
      .def_property_readonly(
          "seconds", [](const TrainResult& r) { return r.training.seconds; }, "Wall time of the training loop.")
      .def_property_readonly(
          "heldout_loss", [](const TrainResult& r) { return r.heldout.data_loss; },
          "Mean loss per selected token on the held-out corpus.")
      .def_property_readonly(
          "value_block", [](const TrainResult& r) { return FromJson(claims::ToJson(r.value_block)); },
          "The block structure of the trained value map (claim T2's predicate).")
      .def_readonly("directory", &TrainResult::directory, "Where the report was written.")
      .def(
          "to_dict", [](const TrainResult& r) { return FromJson(report::ToJson(r)); },
          "The run's report.json, as a dict.");

  m.def("train", &Train, py::arg("scenario"), py::arg("out"), py::arg("corpus") = "", py::arg("heldout_corpus") = "",
        py::arg("resume") = "", py::arg("threads") = py::none(),
        "`ldaformer train` as a function, with the scenario's training: section (set fields with overrides, e.g. "
        "'training.steps=200'): trains on a corpus sampled from the scenario or read from `corpus` (token-id "
        "file), writes the report and checkpoint to `out` (replaced whole), and returns the TrainResult. "
        "threads: minibatch threads (0: every core; the result does not depend on it). Ctrl-C stops it between "
        "minibatches.");
}

}  // namespace ldaformer::python
