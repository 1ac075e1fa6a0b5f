// The Python module ldaformer._ldaformer (imported as `ldaformer`): scenarios, exact moments and losses,
// Monte Carlo, the T2 and T3 solvers, the claim checks, training, corpora and their assumption statistics.
#include "bindings.hpp"

PYBIND11_MODULE(_ldaformer, m) {
  namespace python = ldaformer::python;
  m.doc() =
      "ldaformer: the numerical verification suite of 'How Do Transformers Learn Topic Structure' (Li, Li, "
      "Risteski), from Python. NumPy arrays in and out; errors of bad input raise ValueError with the command "
      "line's message; long computations release the GIL and stop on Ctrl-C.";
  python::BindErrors(m);
  python::BindScenario(m);
  python::BindMoments(m);
  python::BindMonteCarlo(m);
  python::BindSolvers(m);
  python::BindClaims(m);
  python::BindTraining(m);
  python::BindCorpus(m);
}
