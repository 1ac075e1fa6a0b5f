#include <fmt/format.h>

#include "ldaformer/claims/claims.hpp"

namespace ldaformer::claims {

Hypotheses ClaimHypotheses(const theory::Scenario& scenario, const std::string& claim) {
  std::vector<std::string> failed, met;
  const auto require = [&](bool ok, const std::string& what) { (ok ? met : failed).push_back(what); };
  require(scenario.topics.disjoint_uniform, "A1 topics (disjoint, uniform)");
  require(scenario.prior.IsExchangeable(), "exchangeable prior");
  require(scenario.topics.T >= 2, fmt::format("at least two topics (T = {})", scenario.topics.T));
  if (claim != "T1") {
    require(scenario.topics.v >= 2 * scenario.topics.T,
            fmt::format("at least two words per topic (v / T = {} / {})", scenario.topics.v, scenario.topics.T));
  }
  if (claim == "T3" || claim == "D") {
    require(scenario.masking.p_m > 0 && scenario.masking.p_c > 0,
            fmt::format("selected tokens sometimes show their word (p_m p_c = {:.3g} > 0)",
                        scenario.masking.p_m * scenario.masking.p_c));
  }
  Hypotheses out;
  out.met = failed.empty();
  out.text = out.met ? fmt::format("{}", fmt::join(met, "; "))
                     : fmt::format("NOT {}", fmt::join(failed, "; NOT "));
  return out;
}

}  // namespace ldaformer::claims
