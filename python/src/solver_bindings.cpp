// The T2 optimum W* = A (C + lambda I)^-1 and its block coefficients, the block-structure predicate, the T3
// solvers over the attention scores S and the attention buckets that judge them.
#include <optional>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "ldaformer/claims/attention_buckets.hpp"
#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/solvers/attention_solver.hpp"
#include "ldaformer/solvers/closed_forms.hpp"
#include "ldaformer/solvers/theta_quadrature.hpp"

namespace ldaformer::python {

namespace {

using theory::Matrix;

double LambdaOr(const PyScenario& file, const std::optional<double>& lambda) {
  return lambda ? *lambda : file.verify.lambda;
}

py::dict BlockDict(theory::TopicBlockMatrix&& x) {
  py::dict out;
  out["T"] = x.T;
  out["m"] = x.m;
  out["a"] = x.a;
  out["b"] = x.b;
  out["c"] = x.c;
  out["f"] = py::cast(std::move(x.f));
  out["g"] = py::cast(std::move(x.g));
  out["S"] = py::cast(std::move(x.S));
  return out;
}

py::dict BucketDict(const claims::AttentionBucket& bucket) {
  py::dict out;
  out["mean"] = bucket.mean;
  out["stderr"] = bucket.standard_error;
  out["pairs"] = bucket.pairs;
  return out;
}

py::dict BucketsDict(const claims::AttentionBuckets& buckets) {
  py::dict out;
  out["applicable"] = buckets.applicable;
  out["reason"] = buckets.reason;
  out["same_token"] = BucketDict(buckets.same_token);
  out["same_topic"] = BucketDict(buckets.same_topic);
  out["different_topic"] = BucketDict(buckets.different_topic);
  out["documents"] = buckets.documents;
  out["margin"] = buckets.margin;
  out["margin_stderr"] = buckets.margin_standard_error;
  out["holds"] = buckets.holds;
  return out;
}

// The objective T3 minimises: N -> infinity by quasi-Monte Carlo over theta, or a sample average.
solvers::AttentionObjective Objective(const PyScenario& file, const std::string& objective, int documents,
                                      int theta_points, std::uint64_t seed, int threads) {
  if (objective == "infinite") {
    return solvers::AttentionObjective::InfiniteLength(
        file.scenario, solvers::ThetaQuadrature::ForPrior(file.scenario.prior, theta_points, seed), threads);
  }
  if (objective == "sample") {
    return solvers::AttentionObjective::SampleAverage(file.scenario, documents, seed, threads);
  }
  throw std::invalid_argument("objective must be infinite or sample, got '" + objective + "'");
}

py::dict SolutionDict(solvers::AttentionSolution&& s, bool symmetric) {
  py::dict out;
  out["S"] = py::cast(std::move(s.S));
  out["coefficients"] = symmetric ? py::object(BlockDict(std::move(s.coefficients))) : py::none();
  out["loss"] = s.loss;
  out["penalised_loss"] = s.penalised_loss;
  out["iterations"] = s.iterations;
  out["gradient_norm"] = s.gradient_norm;
  out["termination"] = s.termination;
  out["message"] = s.message;
  out["converged"] = s.Converged();
  return out;
}

py::dict T3Solve(const PyScenario& file, const Matrix& W_V, const std::string& objective, const std::string& form,
                 const std::string& loss, int documents, int theta_points, std::uint64_t seed, double lambda,
                 int max_iterations, int threads, const std::optional<Matrix>& S_initial) {
  const int n = file.scenario.tokens().n();
  if (W_V.rows() != n || W_V.cols() != n) {
    throw std::invalid_argument("W_V must be n x n = " + std::to_string(n) + " x " + std::to_string(n));
  }
  const theory::LossKind kind = theory::ParseName<theory::LossKind>("loss", loss);
  solvers::AttentionSolverOptions options;
  options.lambda = lambda;
  options.max_iterations = max_iterations;
  options.Validate();
  if (form != "full" && form != "symmetric") {
    throw std::invalid_argument("form must be full or symmetric, got '" + form + "'");
  }
  if (form == "symmetric" && !file.scenario.HasTopicBlockStructure()) {
    throw std::invalid_argument("form symmetric needs A1 topics and an exchangeable prior");
  }
  solvers::AttentionSolution solution;
  {
    LongComputation computation(threads);
    const solvers::AttentionObjective f = Objective(file, objective, documents, theta_points, seed, threads);
    if (form == "full") {
      solution = solvers::SolveFullScores(f, W_V, kind, options, S_initial ? *S_initial : Matrix());
    } else {
      const theory::TopicModel& topics = file.scenario.topics;
      solution = solvers::SolveTopicBlockScores(
          f, W_V, kind, options, theory::TopicBlockMatrix::Zero(topics.T, topics.m(), file.scenario.num_special));
    }
  }
  return SolutionDict(std::move(solution), form == "symmetric");
}

}  // namespace

void BindSolvers(py::module_& m) {
  m.def(
      "t2_optimum",
      [](const PyScenario& file, const std::optional<double>& lambda) {
        const double l = LambdaOr(file, lambda);
        LongComputation computation(0);
        return file.scenario.HasTopicBlockStructure()
                   ? solvers::OptimalValueMatrix(theory::ExactStructuredSecondMoments(file.scenario), l).Dense()
                   : solvers::OptimalValueMatrix(theory::ExactSecondMoments(file.scenario), l);
      },
      py::arg("scenario"), py::arg("lambda_") = py::none(),
      "The T2 optimum W^V* = A (C + lambda I)^-1 (n x n), by the topic-block algebra when the scenario has the "
      "structure (as claim T2 computes it), else by a dense Cholesky. lambda_ None: the scenario's verify.lambda.");

  m.def(
      "t2_block_coefficients",
      [](const PyScenario& file, const std::optional<double>& lambda) {
        return BlockDict(
            solvers::OptimalValueMatrix(theory::ExactStructuredSecondMoments(file.scenario), LambdaOr(file, lambda)));
      },
      py::arg("scenario"), py::arg("lambda_") = py::none(),
      "The T2 optimum in the topic-block algebra: {'T', 'm', 'a', 'b', 'c', 'f', 'g', 'S'} with W = a I + b B + c J "
      "on the words, 1 f^T and g 1^T beside them and S on the special tokens. Needs A1 and an exchangeable prior.");

  m.def(
      "block_structure",
      [](const Matrix& X, const PyScenario& file) {
        const claims::BlockStructure block = claims::MeasureBlockStructure(X, file.scenario.topics);
        py::dict out = FromJson(claims::ToJson(block));
        out["a"] = block.a;
        out["b"] = block.b;
        out["c"] = block.c;
        out["f"] = py::cast(block.f);
        out["g"] = py::cast(block.g);
        return out;
      },
      py::arg("X"), py::arg("scenario"),
      "Claim T2's predicate on an n x n matrix (W^V, a Gram matrix, scores): its projection a I + b B + c J "
      "(with f, g), residual, same- and different-topic means, contrast and worst per-word margins, words "
      "grouped by their most likely topic.");

  m.def("t3_solve", &T3Solve, py::arg("scenario"), py::arg("W_V"), py::arg("objective") = "infinite",
        py::arg("form") = "full", py::arg("loss") = "squared", py::arg("documents") = 1500,
        py::arg("theta_points") = 256, py::arg("seed") = 1, py::arg("lambda_") = 0.0, py::arg("max_iterations") = 500,
        py::arg("threads") = 0, py::arg("S_initial") = py::none(),
        "Minimises the T3 loss over the attention scores S with W^V fixed (Ceres L-BFGS). objective: 'infinite' "
        "(N -> infinity, theta_points quasi-Monte Carlo points over theta) or 'sample' (documents sampled "
        "documents); form: 'full' (all n^2 scores, from S_initial or 0) or 'symmetric' (s_I I + s_B B + s_J J "
        "plus special rows and columns, from 0). Returns {'S', 'coefficients' (symmetric), 'loss', "
        "'penalised_loss', 'iterations', 'gradient_norm', 'termination', 'message', 'converged'}.");

  m.def(
      "attention_buckets",
      [](const Matrix& S, const PyScenario& file, std::size_t documents, std::uint64_t seed, int threads) {
        claims::AttentionBuckets buckets;
        {
          LongComputation computation(threads);
          buckets = claims::MeasureAttentionBuckets(S, file.scenario, documents, seed, threads);
        }
        return BucketsDict(buckets);
      },
      py::arg("S"), py::arg("scenario"), py::arg("documents") = 200, py::arg("seed") = 2, py::arg("threads") = 0,
      "Claim T3's predicate: N times the attention of the scores S (n x n, S[q, a] for query q and key a) in the "
      "same-token, same-topic and different-topic buckets on fresh unmasked documents, with standard errors; "
      "margin = same topic - different topic.");
}

}  // namespace ldaformer::python
