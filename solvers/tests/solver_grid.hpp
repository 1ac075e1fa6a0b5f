// Small scenarios shared by the solver tests: A1 topics, several priors, lengths and maskings.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::solvers::testing {

inline theory::Scenario GridScenario(const std::string& name, int T, int m, double alpha,
                                     theory::LengthDistribution length) {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = name;
  s.topics = theory::TopicModel::DisjointUniform(T, T * m);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(T, alpha);
  s.length = std::move(length);
  return s;
}

// Ten A1 scenarios of at most 26 tokens: T 2..5, m 2..5, alpha 0.05..2, fixed, uniform and infinite N,
// both key sets, both replacement alphabets, mask-only and high-p_c masking.
inline std::vector<theory::Scenario> SmallA1Grid() {
  using theory::LengthDistribution;
  std::vector<theory::Scenario> grid = {
      GridScenario("T3-m4-a0.1-N20", 3, 4, 0.1, LengthDistribution::Fixed(20)),
      GridScenario("T2-m5-a1-N8", 2, 5, 1.0, LengthDistribution::Fixed(8)),
      GridScenario("T4-m3-a0.05-N10..30", 4, 3, 0.05, LengthDistribution::Uniform(10, 30)),
      GridScenario("T5-m2-a0.3-N50", 5, 2, 0.3, LengthDistribution::Fixed(50)),
      GridScenario("T3-m3-a2-N6", 3, 3, 2.0, LengthDistribution::Fixed(6)),
      GridScenario("T4-m4-a0.1-Ninf", 4, 4, 0.1, LengthDistribution::Infinite()),
      GridScenario("T3-m4-a0.1-N20-unselected", 3, 4, 0.1, LengthDistribution::Fixed(20)),
      GridScenario("T3-m4-a0.1-N20-alltokens", 3, 4, 0.1, LengthDistribution::Fixed(20)),
      GridScenario("T3-m4-a0.5-N15-maskonly", 3, 4, 0.5, LengthDistribution::Fixed(15)),
      GridScenario("T2-m4-a0.2-N12-pc0.5", 2, 4, 0.2, LengthDistribution::Fixed(12)),
  };
  grid[6].masking.keys = theory::KeySet::kUnselectedOnly;
  grid[7].masking.replacement = theory::ReplacementAlphabet::kAllTokens;
  grid[7].num_special = 4;
  grid[8].masking.p_c = 0.0;
  grid[8].masking.p_r = 0.0;
  grid[9].masking.p_m = 0.3;
  grid[9].masking.p_c = 0.5;
  return grid;
}

}  // namespace ldaformer::solvers::testing
