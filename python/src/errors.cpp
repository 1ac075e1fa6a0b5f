// How errors of the C++ libraries reach Python. std::invalid_argument becomes ValueError with the same
// message (pybind11's own translation); an interrupted computation re-raises what the signal handler
// raised (KeyboardInterrupt for Ctrl-C).
#include "bindings.hpp"

namespace ldaformer::python {

void BindErrors(py::module_& /*m*/) {
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const Interrupted&) {
      if (PyErr_Occurred() == nullptr) PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
}

}  // namespace ldaformer::python
