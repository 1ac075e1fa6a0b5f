#include "ldaformer/theory/document_sampler.hpp"

#include <boost/random/discrete_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace ldaformer::theory {

int DrawInput(int word, const Channel& channel, const TokenSpace& tokens, ReplacementAlphabet replacement, Rng& rng) {
  const double u = boost::random::uniform_01<double>()(rng);
  if (u < channel.word) return word;
  if (u < channel.word + channel.random) {
    const int last = replacement == ReplacementAlphabet::kWords ? tokens.v - 1 : tokens.n() - 1;
    return boost::random::uniform_int_distribution<int>(0, last)(rng);
  }
  return tokens.mask();
}

DocumentSampler::DocumentSampler(const Scenario& scenario, int finite_length)
    : scenario_(scenario), finite_length_(finite_length) {
  if (!scenario_.topics.disjoint_uniform) {
    for (int t = 0; t < scenario_.topics.T; ++t) {
      const Vector row = scenario_.topics.beta.row(t).transpose();
      word_tables_.emplace_back(row.data(), row.data() + row.size());
    }
  }
}

int DocumentSampler::DrawWord(int topic, Rng& rng) const {
  if (scenario_.topics.disjoint_uniform) {
    const int m = scenario_.topics.m();
    return topic * m + boost::random::uniform_int_distribution<int>(0, m - 1)(rng);
  }
  const auto& table = word_tables_[topic];
  return boost::random::discrete_distribution<int, double>(table.begin(), table.end())(rng);
}

MaskedDocument DocumentSampler::Sample(std::uint64_t seed, std::uint64_t index) const {
  Rng rng = StreamFor(seed, index);
  const TokenSpace tokens = scenario_.tokens();
  const Masking& masking = scenario_.masking;
  const Channel target = TargetChannel(masking);
  const Channel shows_word{};

  MaskedDocument doc;
  const int N = scenario_.length.IsInfinite() ? finite_length_ : scenario_.length.Sample(rng);
  doc.theta = scenario_.prior.Sample(rng);
  boost::random::discrete_distribution<int, double> topic(doc.theta.data(), doc.theta.data() + doc.theta.size());
  doc.words.resize(N);
  doc.selected.resize(N);
  doc.inputs.resize(N);
  doc.target_inputs.resize(N);
  boost::random::uniform_01<double> uniform;
  for (int i = 0; i < N; ++i) {
    doc.words[i] = DrawWord(topic(rng), rng);
    doc.selected[i] = uniform(rng) < masking.p_m;
    doc.inputs[i] = DrawInput(doc.words[i], doc.selected[i] ? target : shows_word, tokens, masking.replacement, rng);
    doc.target_inputs[i] =
        doc.selected[i] ? doc.inputs[i] : DrawInput(doc.words[i], target, tokens, masking.replacement, rng);
  }
  return doc;
}

}  // namespace ldaformer::theory
