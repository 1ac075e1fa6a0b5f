// Shared by the predicate tests: topic labels written from A1's definition, independent of WordTopics.
#pragma once

#include <vector>

namespace ldaformer::claims::testing {

// Word w of T topics with m words each belongs to topic w / m.
inline std::vector<int> A1Topics(int T, int m) {
  std::vector<int> topic(T * m);
  for (int w = 0; w < T * m; ++w) topic[w] = w / m;
  return topic;
}

}  // namespace ldaformer::claims::testing
