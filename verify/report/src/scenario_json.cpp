#include "ldaformer/report/scenario_json.hpp"

#include <vector>

namespace ldaformer::report {

namespace {

using nlohmann::json;

json Rows(const theory::Matrix& X) {
  json rows = json::array();
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    json row = json::array();
    for (Eigen::Index j = 0; j < X.cols(); ++j) row.push_back(X(i, j));
    rows.push_back(row);
  }
  return rows;
}

json PriorJson(const theory::DocumentPrior& prior) {
  switch (prior.kind) {
    case theory::DocumentPrior::Kind::kDirichlet:
      return {{"kind", theory::NameOf(prior.kind)},
              {"T", prior.T},
              {"alpha", std::vector<double>(prior.alpha.data(), prior.alpha.data() + prior.alpha.size())}};
    case theory::DocumentPrior::Kind::kUniformSubset:
      return {{"kind", theory::NameOf(prior.kind)}, {"T", prior.T}, {"k", prior.k}};
    case theory::DocumentPrior::Kind::kSampler:
      break;
  }
  // A sampler prior is built in code: the file cannot name it, the report can only say what it is.
  return {{"kind", "sampler"}, {"T", prior.T}, {"exact_moments", prior.HasExactMoments()}};
}

json LengthJson(const theory::LengthDistribution& length) {
  json out = {{"kind", theory::NameOf(length.kind)}};
  switch (length.kind) {
    case theory::LengthDistribution::Kind::kFixed:
      out["N"] = length.values.front();
      break;
    case theory::LengthDistribution::Kind::kUniform:
      out["min"] = length.values.front();
      out["max"] = length.values.back();
      break;
    case theory::LengthDistribution::Kind::kPmf:
      out["values"] = length.values;
      out["probs"] = length.probs;
      break;
    case theory::LengthDistribution::Kind::kInfinite:
      break;
  }
  return out;
}

}  // namespace

json ToJson(const theory::Scenario& s) {
  json topics = {{"T", s.topics.T}, {"v", s.topics.v}, {"disjoint_uniform", s.topics.disjoint_uniform}};
  // A1 is fixed by T and v; any other topic matrix is part of the scenario and written out whole.
  if (!s.topics.disjoint_uniform) topics["beta"] = Rows(s.topics.beta);
  return {{"name", s.name},
          {"topics", topics},
          {"prior", PriorJson(s.prior)},
          {"length", LengthJson(s.length)},
          {"masking",
           {{"p_m", s.masking.p_m},
            {"p_c", s.masking.p_c},
            {"p_r", s.masking.p_r},
            {"keys", theory::NameOf(s.masking.keys)},
            {"replacement", theory::NameOf(s.masking.replacement)}}},
          {"special_tokens", s.num_special},
          {"description", s.Describe()}};
}

json ToJson(const claims::VerifyOptions& o) {
  return {{"claims", o.claims},
          {"lambda", o.lambda},
          {"tied_dimensions", o.tied_dimensions},
          {"random_starts", o.random_starts},
          {"cross_entropy", o.cross_entropy},
          {"saa_documents", o.saa_documents},
          {"theta_points", o.theta_points},
          {"bucket_documents", o.bucket_documents},
          {"t3_full_iterations", o.t3_full_iterations},
          {"d_eps", o.d_eps},
          {"d_documents", o.d_documents},
          {"d_t_end", o.d_t_end},
          {"d_key_dimension", o.d_key_dimension},
          {"seed", o.seed}};
}

}  // namespace ldaformer::report
