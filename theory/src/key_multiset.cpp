#include "ldaformer/theory/key_multiset.hpp"

#include <algorithm>
#include <tuple>

namespace ldaformer::theory {

namespace {

// The correction that adds `plus` and removes `minus`, with a cancelling pair stored as none.
KeyCorrection Correction(int plus, int minus) {
  if (plus == minus) return {};
  return {plus, minus};
}

}  // namespace

KeyMultiset KeyMultiset::FromDocument(const MaskedDocument& doc, KeySet keys, TargetPositions targets) {
  KeyMultiset ks;
  const bool all = keys == KeySet::kAllPositions;

  // The shared multiset: every input (all keys) or the unselected inputs, run-length encoded.
  std::vector<int> shown;
  shown.reserve(doc.inputs.size());
  for (int j = 0; j < doc.N(); ++j) {
    if (all || !doc.selected[j]) shown.push_back(doc.inputs[j]);
  }
  std::sort(shown.begin(), shown.end());
  for (int token : shown) {
    if (ks.tokens.empty() || ks.tokens.back() != token) {
      ks.tokens.push_back(token);
      ks.counts.push_back(0);
    }
    ++ks.counts.back();
  }
  ks.size = static_cast<int>(shown.size());

  // Each target shows its target input as the query.
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

  // Groups: runs of equal (query, plus, minus).
  auto key = [&](int t) {
    const KeyTarget& x = ks.targets[t];
    return std::make_tuple(x.query, x.correction.plus, x.correction.minus);
  };
  ks.order.resize(ks.targets.size());
  for (size_t t = 0; t < ks.order.size(); ++t) ks.order[t] = static_cast<int>(t);
  std::sort(ks.order.begin(), ks.order.end(),
            [&](int a, int b) { return std::make_pair(key(a), a) < std::make_pair(key(b), b); });
  for (int k = 0; k < static_cast<int>(ks.order.size()); ++k) {
    const KeyTarget& t = ks.targets[ks.order[k]];
    if (ks.groups.empty() || ks.groups.back().query != t.query || !(ks.groups.back().correction == t.correction)) {
      ks.groups.push_back({t.query, t.correction, k, k});
    }
    ks.groups.back().end = k + 1;
  }
  return ks;
}

Vector KeyMultiset::CountVector(int n) const {
  Vector s = Vector::Zero(n);
  for (size_t a = 0; a < tokens.size(); ++a) s[tokens[a]] = counts[a];
  return s;
}

}  // namespace ldaformer::theory
