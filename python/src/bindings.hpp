// The pieces of the Python module `ldaformer._ldaformer`: one Bind* function per concept (each in its own
// file), and the helpers they share. The bindings only convert: every number is computed by the C++
// libraries.
#pragma once

#include <functional>
#include <string>

#include <pybind11/pybind11.h>
#include <nlohmann/json.hpp>

#include "ldaformer/app/scenario_file.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"

namespace ldaformer::python {

namespace py = pybind11;

// A Python scenario: the scenario file (its YAML tree with the overrides applied, the scenario, the
// verify: and training: sections), as the command line reads it.
using PyScenario = app::ScenarioFile;

void BindErrors(py::module_& m);
void BindScenario(py::module_& m);
void BindMoments(py::module_& m);
void BindMonteCarlo(py::module_& m);
void BindSolvers(py::module_& m);
void BindClaims(py::module_& m);
void BindTraining(py::module_& m);
void BindCorpus(py::module_& m);

// Thrown from the cancellation check when a signal handler raised (Ctrl-C: KeyboardInterrupt). It is no
// std::exception, so no `catch (const std::exception&)` on the way swallows it; the module's translator
// hands the pending Python error on.
struct Interrupted {};

// For the scope of a long computation: the GIL released, DefaultThreads() limited to `threads` (0: every
// core), and a cancellation check that re-acquires the GIL at most every 20 ms to run the signal handlers.
class LongComputation {
 public:
  explicit LongComputation(int threads);

 private:
  std::function<void()> check_;
  theory::ThreadBudget budget_;
  theory::CancellationHook hook_;
  py::gil_scoped_release release_;
};

// A JSON value (the report's) as Python objects: dicts, lists, str, int, float, bool, None (also for NaN and
// infinities, which the printed JSON has as null).
py::object FromJson(const nlohmann::json& value);

}  // namespace ldaformer::python
