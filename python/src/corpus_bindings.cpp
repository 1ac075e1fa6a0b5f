// Corpora: documents sampled from a scenario, and the assumption statistics of a corpus given as token
// lists (app::AnalyseCorpus, what `ldaformer assumptions` computes once it has read its files).
#include <optional>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/app/assumptions_command.hpp"
#include "ldaformer/report/assumptions_report.hpp"
#include "ldaformer/theory/corpus.hpp"

namespace ldaformer::python {

namespace {

using report::AssumptionsResult;

// A corpus from token lists; v = 0 takes the largest id + 1. Ids are checked by the corpus reader's rules.
theory::Corpus CorpusFrom(const std::vector<std::vector<int>>& documents, int v) {
  theory::Corpus corpus;
  corpus.documents = documents;
  int largest = -1;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    for (const int w : documents[d]) {
      if (w < 0 || (v > 0 && w >= v) || w >= theory::kMaxVocabulary) {
        throw std::invalid_argument("documents[" + std::to_string(d) + "]: word id " + std::to_string(w) +
                                    " is out of range" + (v > 0 ? " 0.." + std::to_string(v - 1) : ""));
      }
      largest = std::max(largest, w);
    }
  }
  corpus.v = v > 0 ? v : largest + 1;
  return corpus;
}

AssumptionsResult Assumptions(const std::vector<std::vector<int>>& documents, const std::optional<theory::Matrix>& beta,
                              int fit_lda, int v, int sweeps, int burn_in, double alpha, double eta, std::uint64_t seed,
                              double wv_lambda) {
  app::AssumptionsRequest request;
  request.fit_lda = fit_lda;
  request.gibbs.sweeps = sweeps;
  request.gibbs.burn_in = burn_in;
  request.gibbs.alpha = alpha;
  request.gibbs.eta = eta;
  request.gibbs.seed = seed;
  request.wv_relative_lambda = wv_lambda;
  if (beta.has_value() == (fit_lda > 0)) {
    throw std::invalid_argument("assumption_statistics: give exactly one of beta and fit_lda");
  }
  theory::Corpus corpus = CorpusFrom(documents, v);
  LongComputation computation(0);
  return app::AnalyseCorpus(std::move(corpus), beta ? *beta : theory::Matrix(), "the given documents", "the given beta",
                            request);
}

}  // namespace

void BindCorpus(py::module_& m) {
  m.def(
      "sample_corpus",
      [](const PyScenario& file, std::size_t documents, std::uint64_t seed, int infinite_length, bool thetas) {
        theory::Corpus corpus;
        {
          LongComputation computation(0);
          corpus = theory::SampleCorpus(file.scenario, documents, seed, infinite_length);
        }
        py::list docs = py::cast(corpus.documents);
        if (!thetas) return py::object(docs);
        theory::Matrix theta(static_cast<int>(corpus.thetas.size()), file.scenario.topics.T);
        for (std::size_t d = 0; d < corpus.thetas.size(); ++d) theta.row(static_cast<int>(d)) = corpus.thetas[d];
        return py::object(py::make_tuple(docs, py::cast(std::move(theta))));
      },
      py::arg("scenario"), py::arg("documents"), py::arg("seed") = 1, py::arg("infinite_length") = 2000,
      py::arg("thetas") = false,
      "Documents drawn from the scenario (no masking) as lists of word ids, as `ldaformer sample` writes them; "
      "document d is a pure function of (scenario, seed, d). With thetas=True, (documents, theta) with theta the "
      "documents x T true topic proportions.");

  py::class_<AssumptionsResult>(m, "AssumptionsResult",
                                "How far a corpus meets the theorems' assumptions (docs/ASSUMPTIONS.md).")
      .def_property_readonly(
          "verdicts",
          [](const AssumptionsResult& r) {
            py::list out;
            for (const assumptions::AssumptionVerdict& verdict : r.report.verdicts) {
              py::dict row;
              row["name"] = verdict.name;
              row["value"] = verdict.value;
              row["criterion"] = verdict.criterion;
              row["detail"] = verdict.detail;
              row["holds"] = verdict.holds;
              out.append(row);
            }
            return out;
          },
          "One dict per assumption: {'name', 'value', 'criterion', 'detail', 'holds'}.")
      .def_property_readonly(
          "word_topic", [](const AssumptionsResult& r) { return r.report.word_topic; }, "The top topic of each word.")
      .def_property_readonly(
          "beta", [](const AssumptionsResult& r) -> const theory::Matrix& { return r.fit.beta; },
          py::return_value_policy::reference_internal, "The topics the statistics use, K x v.")
      .def_property_readonly(
          "theta", [](const AssumptionsResult& r) -> const theory::Matrix& { return r.fit.theta; },
          py::return_value_policy::reference_internal, "The documents' topic proportions, D x K.")
      .def_property_readonly(
          "empirical_p2", [](const AssumptionsResult& r) -> const theory::Matrix& { return r.report.empirical_p2; },
          py::return_value_policy::reference_internal, "The empirical within-document word-pair law, v x v.")
      .def(
          "table", [](const AssumptionsResult& r) { return assumptions::FormatAssumptionTable(r.report); },
          "The report as the command line's table.")
      .def(
          "to_dict", [](const AssumptionsResult& r) { return FromJson(report::ToJson(r)); },
          "The result as `ldaformer assumptions --json` prints it.");

  m.def("assumption_statistics", &Assumptions, py::arg("documents"), py::arg("beta") = py::none(),
        py::arg("fit_lda") = 0, py::arg("v") = 0, py::arg("sweeps") = 300, py::arg("burn_in") = 100,
        py::arg("alpha") = 0.1, py::arg("eta") = 0.01, py::arg("seed") = 1, py::arg("wv_lambda") = 0.0,
        "The assumption statistics of a corpus given as lists of word ids, as `ldaformer assumptions` computes "
        "them: with known topics beta (K x v, like --topics) or fit_lda topics fitted by collapsed Gibbs sampling "
        "(like --fit-lda); v: vocabulary size (0: the largest id + 1, or beta's columns); sweeps, burn_in, alpha, "
        "eta, seed: the Gibbs sampler's settings; wv_lambda > 0 adds the corpus' exact T2 optimum (like "
        "--wv-lambda). Ctrl-C stops it between sweeps.");
}

}  // namespace ldaformer::python
