// The claims of docs/THEOREMS.md, each checked on one scenario with the methods its hypotheses allow.
// docs/THEOREMS.md states each formal version and what exactly is computed. Each check reports
// Begin/End per result id (and Step where it has steps) to `progress`, and Warns when a solver or flow
// takes far more effort than usual for the scenario's size.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/claims/claim_result.hpp"
#include "ldaformer/claims/progress.hpp"
#include "ldaformer/claims/verify_options.hpp"
#include "ldaformer/theory/scenario.hpp"

namespace ldaformer::claims {

// The hypotheses of `claim` (T1, T2, T3 or D) evaluated on the scenario, met or not, each with what the
// scenario has. A result outside them is computed and reported but never judged (ClaimResult::Status).
std::vector<Hypothesis> ClaimHypotheses(const theory::Scenario& scenario, const std::string& claim);

// T1: optimal embeddings (identity decoder: closed form checked by Ceres; tied decoder: Ceres from random
// starts for each d; cross-entropy by sample-average approximation). One result per method.
std::vector<ClaimResult> CheckT1(const theory::Scenario& scenario, const VerifyOptions& options,
                                 Progress& progress = SilentProgress());

// T2: the optimal W^V with penalty lambda (closed form, Ceres least squares, gradient flow; cross-entropy
// by sample-average approximation).
std::vector<ClaimResult> CheckT2(const theory::Scenario& scenario, const VerifyOptions& options,
                                 Progress& progress = SilentProgress());

// T3: the optimal attention scores with W^V fixed to the T2 optimum, judged by the attention buckets:
// the symmetric few-parameter form and the full S at N -> infinity (quasi-Monte Carlo over theta), and
// the full S on a sample average at the scenario's lengths. Without the topic-block structure (a general
// beta, or a prior that is not exchangeable) it is CheckT3OnWordGroups with WordTopics(scenario.topics).
std::vector<ClaimResult> CheckT3(const theory::Scenario& scenario, const VerifyOptions& options,
                                 Progress& progress = SilentProgress());

// T3 on words grouped by topic_of_word (v labels): W^V = GroupIdealisedValueMatrix of the exact T2 optimum
// (group_value_matrix.hpp), all n^2 scores solved from S = 0, and the attention buckets read with that
// grouping on fresh documents. Results "T3" (N -> infinity) and "T3-SAA" (finite lengths; its standard
// error adds the spread over independent objective samples, docs/THEOREMS.md). CheckT3's route for a
// general beta; callable on any scenario with exact moments (on A1 it must agree with CheckT3, and a wrong
// grouping is its negative control). Throws std::invalid_argument unless topic_of_word has v entries.
std::vector<ClaimResult> CheckT3OnWordGroups(const theory::Scenario& scenario, const VerifyOptions& options,
                                             const std::vector<int>& topic_of_word,
                                             Progress& progress = SilentProgress());

// D: the joint gradient flow of W^K, W^Q, W^V from each initial scale in options.d_eps, judged by the
// stage separation of every run and the growth of stage 2's start with log(1/eps).
std::vector<ClaimResult> CheckD(const theory::Scenario& scenario, const VerifyOptions& options,
                                Progress& progress = SilentProgress());

}  // namespace ldaformer::claims
