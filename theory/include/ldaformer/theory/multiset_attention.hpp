// The one-layer model of docs/MODEL.md evaluated on a KeyMultiset: the logits of every target group
// of a document, with attention over distinct key tokens instead of positions.
//
// A query showing token q attends over a multiset with counts c_a. Keys that show the same token have
// the same score and value, so the softmax over positions is a softmax over distinct tokens with
// log-count weights:
//     w_a = c_a exp(s(q, a) - m),   u = sum_a w_a V_a / sum_a w_a,   y = W^O u,
// with s = TokenTables::scores, V = TokenTables::values and m the largest score among the keys. A group
// reads the shared multiset changed by its correction (KeyCorrection): one term w_plus V_plus added,
// one w_minus V_minus removed. The shared sums are computed once per distinct query token, O(u d) for
// u distinct key tokens, and each group adds its correction in O(d): a document costs
// O(queries u d + groups d), plus the tied decoder's O(n d) per group, where the direct computation
// (OneLayerLogits per target) costs O(N^2 d). An empty key set gives u = 0, so y = 0, as in
// OneLayerLogits.
//
// The removed term is subtracted from the shared sums. When it carries more than half of the group's
// weight (a query that attends mostly to the removed key), the subtraction would cancel most of the
// sum, so that group is summed directly over its own keys instead.
#pragma once

#include "ldaformer/theory/key_multiset.hpp"
#include "ldaformer/theory/transformer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::theory {

// The logits of every group of `keys`: column g is y for keys.groups[g] (an n x groups matrix; n is the
// number of logits, TokenTables::values.rows() for the identity decoder).
Matrix GroupLogits(const TokenTables& tables, const KeyMultiset& keys);

}  // namespace ldaformer::theory
