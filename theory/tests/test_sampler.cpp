// The document sampler: word frequencies, co-occurrence, masking frequencies, reproducibility.
#include <functional>
#include <thread>

#include <catch2/catch.hpp>

#include "ldaformer/theory/document_sampler.hpp"
#include "ldaformer/theory/monte_carlo.hpp"
#include "ldaformer/theory/parallel_reduce.hpp"
#include "ldaformer/theory/ratio_estimator.hpp"
#include "test_support.hpp"

namespace ldaformer::theory {
namespace {

using Array2 = Eigen::ArrayXXd;

// Per-token word frequencies and the co-occurrence of distinct positions, with standard errors.
struct WordCounts {
  MatrixEstimate frequency;  // v x 1
  MatrixEstimate pairs;      // v x v, E[e_w e_w'^T] over ordered pairs of distinct positions
};

WordCounts CountWords(const Scenario& s, std::uint64_t documents, int threads) {
  const DocumentSampler sampler(s);
  const int v = s.topics.v;
  using Acc = std::pair<RatioAccumulator<Array2>, RatioAccumulator<Array2>>;
  const Acc zero{RatioAccumulator<Array2>(Array2::Zero(v, 1)), RatioAccumulator<Array2>(Array2::Zero(v, v))};
  const Acc acc = DeterministicParallelReduce(
      documents, zero,
      [&](std::uint64_t d, Acc& a) {
        const MaskedDocument doc = sampler.Sample(7, d);
        Vector counts = Vector::Zero(v);
        for (int w : doc.words) counts[w] += 1.0;
        a.first.Add(counts.array(), doc.N());
        Matrix pairs = counts * counts.transpose();
        pairs.diagonal() -= counts;
        a.second.Add(pairs.array(), double(doc.N()) * (doc.N() - 1));
      },
      [](Acc& into, const Acc& from) {
        into.first.Merge(from.first);
        into.second.Merge(from.second);
      },
      threads);
  return {{acc.first.Estimate().matrix(), acc.first.StandardError().matrix()},
          {acc.second.Estimate().matrix(), acc.second.StandardError().matrix()}};
}

TEST_CASE("Sampled words have frequency 1/v and pair co-occurrence P2", "[theory][sampler]") {
  for (double alpha : {0.1, 1.0}) {
    const Scenario s =
        testing::MakeScenario("words", TopicModel::DisjointUniform(4, 12), DocumentPrior::SymmetricDirichlet(4, alpha),
                              LengthDistribution::Uniform(5, 40));
    INFO(s.Describe());
    const WordCounts counts = CountWords(s, 20000, 2);
    const Matrix expected_frequency = Matrix::Constant(12, 1, 1.0 / 12);
    const auto f =
        testing::CompareWithinErrors(expected_frequency, counts.frequency.value, counts.frequency.standard_error);
    CHECK(f.max_z <= testing::BonferroniZ(12));
    const Matrix beta = s.topics.beta;
    const Matrix P2_exact = beta.transpose() * s.prior.SecondMoment() * beta;
    const auto p = testing::CompareWithinErrors(P2_exact, counts.pairs.value, counts.pairs.standard_error);
    CHECK(p.max_z <= testing::BonferroniZ(144));
    // Same-topic pairs are much likelier than different-topic pairs when alpha is small.
    CHECK(counts.pairs.value(0, 1) > counts.pairs.value(0, 11));
  }
}

TEST_CASE("Masking shows word, random token and MASK with the channel probabilities", "[theory][sampler]") {
  Scenario s =
      testing::MakeScenario("mask", TopicModel::DisjointUniform(2, 4), DocumentPrior::SymmetricDirichlet(2, 1.0),
                            LengthDistribution::Fixed(50), testing::MakeMasking(0.4, 0.2, 0.3), 2);
  const DocumentSampler sampler(s);
  double selected = 0, total = 0, target_mask = 0, target_total = 0, unselected_changed = 0, target_mismatch = 0;
  for (std::uint64_t d = 0; d < 4000; ++d) {
    const MaskedDocument doc = sampler.Sample(3, d);
    for (int i = 0; i < doc.N(); ++i) {
      total += 1;
      selected += doc.selected[i];
      if (!doc.selected[i]) unselected_changed += doc.inputs[i] != doc.words[i];
      target_total += 1;
      target_mask += doc.target_inputs[i] == s.tokens().mask();
      if (doc.selected[i]) target_mismatch += doc.target_inputs[i] != doc.inputs[i];
    }
  }
  // Binomial standard errors: sqrt(p (1 - p) / count).
  CHECK(std::abs(selected / total - 0.4) <= 4 * std::sqrt(0.4 * 0.6 / total));
  CHECK(std::abs(target_mask / target_total - 0.5) <= 4 * std::sqrt(0.25 / target_total));
  CHECK(unselected_changed == 0);
  CHECK(target_mismatch == 0);  // a selected position already shows its target input
}

TEST_CASE("Documents depend only on seed and index, not on the thread count", "[theory][sampler]") {
  const Scenario s = PaperSyntheticScenario();
  const DocumentSampler sampler(s);
  const MaskedDocument a = sampler.Sample(42, 17), b = sampler.Sample(42, 17), c = sampler.Sample(43, 17);
  CHECK(a.words == b.words);
  CHECK(a.inputs == b.inputs);
  CHECK(a.words != c.words);

  MonteCarloOptions o;
  o.documents = 3000;
  o.seed = 5;
  const LinearPredictor p = LinearPredictor::Random(s.tokens().n(), 1);
  o.threads = 1;
  const ScalarEstimate one = MonteCarloLoss(s, p, LossKind::kCrossEntropy, o);
  o.threads = 2;
  const ScalarEstimate two = MonteCarloLoss(s, p, LossKind::kCrossEntropy, o);
  o.threads = 3;
  const ScalarEstimate three = MonteCarloLoss(s, p, LossKind::kCrossEntropy, o);
  // Bit-identical, not merely close.
  CHECK(one.value == two.value);
  CHECK(one.value == three.value);
  CHECK(one.standard_error == two.standard_error);

  o.threads = 1;
  const SecondMomentEstimate m1 = MonteCarloSecondMoments(s, o);
  o.threads = 2;
  const SecondMomentEstimate m2 = MonteCarloSecondMoments(s, o);
  CHECK(m1.C.value == m2.C.value);
}

TEST_CASE("A cancellation check runs between waves on the calling thread and aborts by throwing", "[theory][sampler]") {
  const Scenario s = PaperSyntheticScenario();
  const LinearPredictor p = LinearPredictor::Identity(s.tokens().n());
  MonteCarloOptions o;
  o.documents = 2000;
  o.threads = 2;
  const ScalarEstimate unhooked = MonteCarloLoss(s, p, LossKind::kSquared, o);
  int calls = 0;
  const std::thread::id caller = std::this_thread::get_id();
  bool on_caller = true;
  {
    const std::function<void()> count = [&] {
      ++calls;
      on_caller = on_caller && std::this_thread::get_id() == caller;
    };
    const CancellationHook hook(count);
    CHECK(MonteCarloLoss(s, p, LossKind::kSquared, o).value == unhooked.value);  // a check changes nothing
  }
  // 2000 documents in blocks of 64 are 32 blocks, waves of 2 threads x 4 blocks: 4 waves.
  CHECK(calls == 4);
  CHECK(on_caller);
  MonteCarloLoss(s, p, LossKind::kSquared, o);
  CHECK(calls == 4);  // the hook is gone with its scope

  struct Stop {};
  const std::function<void()> stop_at_third = [&] {
    if (++calls == 7) throw Stop{};
  };
  const CancellationHook hook(stop_at_third);
  CHECK_THROWS_AS(MonteCarloLoss(s, p, LossKind::kSquared, o), Stop);
}

TEST_CASE("The ratio estimator reduces to the sample mean and its standard error", "[theory][sampler]") {
  RatioAccumulator<double> acc(0.0);
  const double xs[] = {1.0, 2.0, 4.0, 7.0};
  for (double x : xs) acc.Add(x, 1.0);
  CHECK(acc.Estimate() == Approx(3.5));
  // Sample variance 7 (sum of squares 21 over 3), standard error sqrt(7 / 4).
  CHECK(acc.StandardError() == Approx(std::sqrt(7.0 / 4.0)));
}

}  // namespace
}  // namespace ldaformer::theory
