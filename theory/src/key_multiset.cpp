#include "ldaformer/theory/key_multiset.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ldaformer::theory {

namespace {

// The correction that adds `plus` and removes `minus`, with a cancelling pair stored as none.
KeyCorrection Correction(int plus, int minus) {
  if (plus == minus) return {};
  return {plus, minus};
}

// Tokens below this are counted in a per-thread table instead of sorted: O(N + u log u) for N keys with u
// distinct tokens, against O(N log N), which was a sixth of the Monte Carlo loss's time. The table grows to the
// largest token seen (at most 2^16 ints per thread): the reductions start fresh threads for every wave, and
// each would otherwise fill 256 KiB with zeros first.
constexpr int kCountedTokens = 1 << 16;

// The shared multiset from its tokens, run-length encoded: ks.tokens, ks.counts, ks.size.
void SetSharedKeys(std::vector<int> shown, KeyMultiset& ks) {
  ks.size = static_cast<int>(shown.size());
  const int top = shown.empty() ? 0 : *std::max_element(shown.begin(), shown.end());
  if (top < kCountedTokens) {
    thread_local std::vector<int> count;  // all zero between calls
    if (count.size() <= static_cast<std::size_t>(top)) count.resize(top + 1, 0);
    for (int token : shown) {
      if (count[token]++ == 0) ks.tokens.push_back(token);
    }
    std::sort(ks.tokens.begin(), ks.tokens.end());
    ks.counts.reserve(ks.tokens.size());
    for (int token : ks.tokens) {
      ks.counts.push_back(count[token]);
      count[token] = 0;
    }
    return;
  }
  std::sort(shown.begin(), shown.end());
  for (int token : shown) {
    if (ks.tokens.empty() || ks.tokens.back() != token) {
      ks.tokens.push_back(token);
      ks.counts.push_back(0);
    }
    ++ks.counts.back();
  }
}

// Groups: runs of equal (query, plus, minus), found by sorting the targets on that key packed into
// 64 bits, 21 per token (the n x n score tables keep n far below 2^21).
void GroupTargets(KeyMultiset& ks) {
  auto packed = [](const KeyTarget& x) {
    return (std::uint64_t(x.query) << 42) | (std::uint64_t(x.correction.plus + 1) << 21) |
           std::uint64_t(x.correction.minus + 1);
  };
  std::vector<std::pair<std::uint64_t, int>> sorted;
  sorted.reserve(ks.targets.size());
  for (size_t t = 0; t < ks.targets.size(); ++t) sorted.emplace_back(packed(ks.targets[t]), static_cast<int>(t));
  std::sort(sorted.begin(), sorted.end());
  ks.order.reserve(sorted.size());
  for (size_t k = 0; k < sorted.size(); ++k) {
    const auto at = static_cast<int>(k);
    const KeyTarget& x = ks.targets[sorted[k].second];
    if (k == 0 || sorted[k].first != sorted[k - 1].first) ks.groups.push_back({x.query, x.correction, at, at});
    ks.order.push_back(sorted[k].second);
    ks.groups.back().end = at + 1;
  }
}

}  // namespace

KeyMultiset KeyMultiset::FromDocument(const MaskedDocument& doc, KeySet keys, TargetPositions targets) {
  KeyMultiset ks;
  const bool all = keys == KeySet::kAllPositions;

  // The shared multiset: every input (all keys) or the unselected inputs.
  std::vector<int> shown;
  shown.reserve(doc.inputs.size());
  for (int j = 0; j < doc.N(); ++j) {
    if (all || !doc.selected[j]) shown.push_back(doc.inputs[j]);
  }
  SetSharedKeys(std::move(shown), ks);

  // Each target shows its target input as the query.
  ks.targets.reserve(doc.inputs.size());
  for (int i = 0; i < doc.N(); ++i) {
    if (targets == TargetPositions::kSelected && !doc.selected[i]) continue;
    KeyTarget t;
    t.position = i;
    t.query = doc.target_inputs[i];
    t.word = doc.words[i];
    if (all) {
      // The target shows its target input instead of what the masking drew for it.
      t.correction = Correction(doc.target_inputs[i], doc.inputs[i]);
    } else if (!doc.selected[i]) {
      // The target is never a key: an unselected one removes itself.
      t.correction = Correction(-1, doc.inputs[i]);
    }
    ks.targets.push_back(t);
  }
  GroupTargets(ks);
  return ks;
}

KeyMultiset KeyMultiset::FromPositions(const std::vector<int>& inputs, const std::vector<int>& words,
                                       const std::vector<int>& targets, const std::vector<int>& keys) {
  KeyMultiset ks;
  std::vector<int> shown;
  shown.reserve(keys.size());
  for (int j : keys) shown.push_back(inputs[j]);
  SetSharedKeys(std::move(shown), ks);
  ks.targets.reserve(targets.size());
  for (int i : targets) ks.targets.push_back({i, inputs[i], words[i], KeyCorrection{}});
  GroupTargets(ks);
  return ks;
}

Vector KeyMultiset::CountVector(int n) const {
  Vector s = Vector::Zero(n);
  for (size_t a = 0; a < tokens.size(); ++a) s[tokens[a]] = counts[a];
  return s;
}

}  // namespace ldaformer::theory
