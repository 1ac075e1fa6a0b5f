// A small training run: a corpus of 400 documents sampled from an A1 scenario (T = 4 topics of m = 5 words,
// Dirichlet(0.3), N uniform on 20..40), and 300 Adam steps of the one-layer model with one-hot E, trained
// W^K, W^Q, W^V, the identity decoder and the cross-entropy loss (the defaults of sim::TrainingOptions
// otherwise). Prints the trajectory's first and last objective, the objective on 200 held-out documents, and
// the block structure of the trained W^V (same-topic entries above different-topic ones, as T2 predicts).
// Exits 1 if the run does not complete or the objective does not fall.
#include <cstdio>

#include "ldaformer/claims/block_structure.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "ldaformer/theory/names.hpp"
#include "ldaformer/theory/scenario.hpp"

using namespace ldaformer;

int main() {
  theory::Scenario scenario;  // the default masking: p_m = 0.15, p_c = 0.1, p_r = 0.1
  scenario.topics = theory::TopicModel::DisjointUniform(4, 20);
  scenario.prior = theory::DocumentPrior::SymmetricDirichlet(4, 0.3);
  scenario.length = theory::LengthDistribution::Uniform(20, 40);
  scenario.Validate();
  const theory::Corpus corpus = theory::SampleCorpus(scenario, 400, /*seed=*/1);
  const theory::Corpus heldout = theory::SampleCorpus(scenario, 200, /*seed=*/2);

  sim::TrainingOptions options;
  options.model.embedding = sim::EmbeddingMode::kOneHot;  // E = I, d = n
  options.model.attention = sim::AttentionMode::kTrainable;
  options.model.loss = theory::LossKind::kCrossEntropy;
  options.optimizer.lr = 0.02;  // Adam
  options.steps = 300;
  options.batch = 20;  // documents per step: 20 steps an epoch
  options.init_scale = 0.01;
  options.record_every = 50;
  options.progress = false;
  const sim::TrainingResult run = sim::Train(corpus, scenario, options);

  const sim::TrajectoryPoint& first = run.trajectory.front();
  const sim::TrajectoryPoint& last = run.trajectory.back();
  std::printf("%s after %d steps (%.1f s): objective %.4f at step %d, %.4f at step %d; |W^V|_F %.3f -> %.3f\n",
              theory::NameOf(run.termination).c_str(), run.steps_taken, run.seconds, first.objective, first.step,
              last.objective, last.step, first.norm_W_V, last.norm_W_V);
  const sim::Evaluation held = sim::EvaluateCorpus(run.params, heldout, scenario, options.model, /*seed=*/3);
  std::printf("held-out objective %.4f over %zu selected tokens\n", held.objective, held.targets);

  const claims::BlockStructure block = claims::MeasureBlockStructure(run.params.W_V, scenario.topics);
  std::printf("trained W^V: same-word mean %.4f, same-topic mean %.4f, different-topic mean %.4f, margin %.4f\n",
              block.same_word_mean, block.same_topic_mean, block.different_topic_mean, block.margin);
  return run.termination == sim::Termination::kCompleted && last.objective < first.objective ? 0 : 1;
}
