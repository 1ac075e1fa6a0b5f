// Masking, optimizers, the training loop's reproducibility, and checkpoints.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "ldaformer/sim/checkpoint.hpp"
#include "ldaformer/sim/corpus.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/sim/training_yaml.hpp"

using namespace ldaformer;
using theory::Matrix;

namespace {

theory::Scenario TinyScenario() {
  theory::Scenario s = theory::PaperSyntheticScenario();
  s.name = "tiny";
  s.topics = theory::TopicModel::DisjointUniform(2, 8);
  s.prior = theory::DocumentPrior::SymmetricDirichlet(2, 0.3);
  s.length = theory::LengthDistribution::Uniform(10, 20);
  s.Validate();
  return s;
}

sim::TrainingOptions TinyOptions() {
  sim::TrainingOptions o;
  o.model.attention = sim::AttentionMode::kTrainable;
  o.model.decoder = theory::Decoder::kTied;
  o.model.d = 6;
  o.model.d_k = 3;
  o.steps = 30;
  o.batch = 7;
  o.init_scale = 0.3;
  o.record_every = 4;
  o.progress = false;
  return o;
}

}  // namespace

TEST_CASE("masking: selection and channel frequencies match p_m, p_c, p_r", "[sim][masking]") {
  // 200k positions: each frequency has standard error <= sqrt(0.25 / n) ~ 1e-3 (selected) or ~2.6e-3
  // (the channels, on ~30k selected positions); 5 standard errors is a false-alarm rate below 1e-6.
  theory::Masking masking;
  masking.p_m = 0.15;
  masking.p_c = 0.1;
  masking.p_r = 0.2;
  masking.keys = theory::KeySet::kUnselectedOnly;
  masking.replacement = theory::ReplacementAlphabet::kWords;
  const theory::TokenSpace tokens{50, 1};
  std::vector<int> words(1000);
  for (int i = 0; i < 1000; ++i) words[i] = i % 50;
  double selected = 0, shows_word = 0, shows_mask = 0, positions = 0;
  for (int d = 0; d < 200; ++d) {
    theory::Rng rng = theory::StreamFor(3, d);
    const sim::MaskedExample ex = sim::MaskDocument(words, masking, tokens, rng);
    CHECK(ex.targets.size() + ex.keys.size() == words.size());  // keys are exactly the unselected positions
    for (int i : ex.targets) {
      shows_word += ex.inputs[i] == words[i];
      shows_mask += ex.inputs[i] == tokens.mask();
    }
    for (int j : ex.keys) CHECK(ex.inputs[j] == words[j]);
    selected += double(ex.targets.size());
    positions += double(words.size());
  }
  const double p_selected = selected / positions;
  CHECK(std::abs(p_selected - 0.15) < 5 * std::sqrt(0.15 * 0.85 / positions));
  // A random replacement equals the word with probability 1/v.
  const double p_word = 0.1 + 0.2 / 50;
  CHECK(std::abs(shows_word / selected - p_word) < 5 * std::sqrt(p_word * (1 - p_word) / selected));
  CHECK(std::abs(shows_mask / selected - 0.7) < 5 * std::sqrt(0.7 * 0.3 / selected));
}

TEST_CASE("masking: static masks repeat every epoch, dynamic masks do not", "[sim][masking]") {
  const theory::Scenario s = TinyScenario();
  const sim::Corpus corpus = sim::SampleCorpus(s, 10, 4);
  sim::TrainingOptions o = TinyOptions();
  o.batch = 10;  // one batch per epoch: step k is epoch k, all documents
  auto masks_of = [&](int step) {
    std::map<std::vector<int>, std::vector<int>> by_words;
    for (const auto& ex : sim::MinibatchAt(corpus, s, o, step)) by_words[ex.words] = ex.inputs;
    return by_words;
  };
  o.masking = sim::MaskingSchedule::kStatic;
  CHECK(masks_of(0) == masks_of(1));
  o.masking = sim::MaskingSchedule::kDynamic;
  CHECK(masks_of(0) != masks_of(1));
  CHECK(masks_of(1) == masks_of(1));
}

TEST_CASE("optimizer: SGD and Adam first steps", "[sim][optimizer]") {
  Matrix X(1, 3), G(1, 3);
  X << 1.0, 2.0, 3.0;
  G << 0.5, -2.0, 0.0;
  sim::OptimizerOptions options;
  options.lr = 0.1;
  options.kind = sim::OptimizerKind::kSgd;
  Matrix Y = X;
  sim::Optimizer sgd(options, 10);
  sgd.Step({&Y}, {&G});
  CHECK(Y(0) == Approx(0.95));
  CHECK(Y(1) == Approx(2.2));
  // Adam's bias-corrected first step is lr * g / (|g| + epsilon): lr sign(g) for |g| >> epsilon.
  options.kind = sim::OptimizerKind::kAdam;
  Y = X;
  sim::Optimizer adam(options, 10);
  adam.Step({&Y}, {&G});
  CHECK(Y(0) == Approx(0.9).epsilon(1e-7));
  CHECK(Y(1) == Approx(2.1).epsilon(1e-7));
  CHECK(Y(2) == 3.0);
  // A linear schedule decays to zero at the last step.
  options.schedule = sim::LearningRateSchedule::kLinear;
  sim::Optimizer decaying(options, 4);
  CHECK(decaying.CurrentLearningRate() == Approx(0.1));
  for (int k = 0; k < 3; ++k) decaying.Step({&Y}, {&G});
  CHECK(decaying.CurrentLearningRate() == Approx(0.025));
  options.lr = -1;
  CHECK_THROWS_WITH(sim::Optimizer(options, 1), Catch::Contains("training.lr must be finite and > 0, got -1"));
}

TEST_CASE("trainer: runs are bit-identical for any thread count and repeatable", "[sim][reproducibility]") {
  const theory::Scenario s = TinyScenario();
  const sim::Corpus corpus = sim::SampleCorpus(s, 40, 8);  // 40 = 5 batches of 7 + one of 5
  sim::TrainingOptions o = TinyOptions();
  o.masking = sim::MaskingSchedule::kDynamic;
  const sim::TrainingResult one = sim::Train(corpus, s, o);
  o.threads = 2;
  const sim::TrainingResult two = sim::Train(corpus, s, o);
  REQUIRE(one.termination == sim::Termination::kCompleted);
  CHECK(one.steps_taken == 30);
  CHECK(one.params.E == two.params.E);
  CHECK(one.params.W_K == two.params.W_K);
  CHECK(one.params.W_V == two.params.W_V);
  // Trajectory points at 0, 4, ..., 28 and the last step.
  REQUIRE(one.trajectory.size() == 9);
  CHECK(one.trajectory.back().step == 30);
  CHECK(one.trajectory.back().norm_W_V == one.params.W_V.norm());
  // Training lowers the loss (averaged over a few minibatches to smooth their noise).
  o.steps = 300;
  const sim::TrainingResult longer = sim::Train(corpus, s, o);
  const auto& t = longer.trajectory;
  double first = 0, last = 0;
  for (int k = 0; k < 5; ++k) {
    first += t[k].data_loss;
    last += t[t.size() - 1 - k].data_loss;
  }
  CHECK(last < 0.9 * first);
}

TEST_CASE("trainer: divergence is reported, not hidden", "[sim]") {
  const theory::Scenario s = TinyScenario();
  const sim::Corpus corpus = sim::SampleCorpus(s, 20, 8);
  sim::TrainingOptions o = TinyOptions();
  o.model.loss = theory::LossKind::kSquared;
  o.optimizer.kind = sim::OptimizerKind::kSgd;
  o.optimizer.lr = 1e6;
  o.steps = 200;
  const sim::TrainingResult r = sim::Train(corpus, s, o);
  CHECK(r.termination == sim::Termination::kDiverged);
  CHECK(r.steps_taken < 200);
  CHECK_THAT(r.message, Catch::Contains("not finite"));
}

TEST_CASE("trainer: bad options and corpora are rejected with the field and the value", "[sim][validation]") {
  const theory::Scenario s = TinyScenario();
  sim::Corpus corpus = sim::SampleCorpus(s, 5, 1);
  sim::TrainingOptions o = TinyOptions();
  o.batch = 0;
  CHECK_THROWS_WITH(sim::Train(corpus, s, o), Catch::Contains("training.batch must be >= 1, got 0"));
  o = TinyOptions();
  o.init_scale = std::nan("");
  CHECK_THROWS_WITH(sim::Train(corpus, s, o), Catch::Contains("training.init_scale must be finite"));
  o = TinyOptions();
  corpus.documents[3].push_back(8);
  CHECK_THROWS_WITH(sim::Train(corpus, s, o), Catch::Contains("corpus document 3 has word id 8, outside the scenario's vocabulary 0..7"));
}

TEST_CASE("checkpoint: the learned matrices read back bit for bit", "[sim][checkpoint]") {
  const theory::Scenario s = TinyScenario();
  const sim::TrainingOptions o = TinyOptions();
  sim::Checkpoint c;
  c.params = sim::InitialParams(o.model, s.topics, s.tokens(), 0.37, 5);
  c.step = 17;
  c.meta = {{"scenario", s.name}};
  const std::string path = "sim_checkpoint_roundtrip.json";
  sim::WriteCheckpoint(path, c);
  const sim::Checkpoint back = sim::ReadCheckpoint(path);
  CHECK(back.step == 17);
  CHECK(back.params.decoder == theory::Decoder::kTied);
  CHECK(back.params.E == c.params.E);
  CHECK(back.params.W_K == c.params.W_K);
  CHECK(back.params.W_Q == c.params.W_Q);
  CHECK(back.params.W_V == c.params.W_V);
  CHECK(back.meta["scenario"] == "tiny");
  // Training resumes from a checkpoint.
  const sim::Corpus corpus = sim::SampleCorpus(s, 14, 2);
  CHECK(sim::Train(corpus, s, o, back.params).termination == sim::Termination::kCompleted);
  std::remove(path.c_str());

  nlohmann::json bad = sim::ToJson(c);
  bad["matrices"]["W_V"]["rows"] = 5;
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("x.json: matrices.W_V: 36 entries do not fill 5 rows x 6 cols"));
  bad = sim::ToJson(c);
  bad["version"] = 9;
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("version must be 1, got 9"));
  bad = sim::ToJson(c);
  bad["matrices"].erase("E");
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("x.json: not a valid checkpoint"));
}

TEST_CASE("training yaml: fields override defaults, bad values name the field, the value and the line",
          "[sim][validation]") {
  const YAML::Node root = YAML::Load(
      "training:\n  optimizer: sgd\n  lr: 0.5\n  loss: squared\n  value: block\n  l2: {W_V: 0.001}\n"
      "  masking: dynamic\n  documents: 300\n");
  const sim::TrainingSection section = sim::ParseTrainingSection(root);
  CHECK(section.options.optimizer.kind == sim::OptimizerKind::kSgd);
  CHECK(section.options.optimizer.lr == 0.5);
  CHECK(section.options.model.loss == theory::LossKind::kSquared);
  CHECK(section.options.model.value == sim::ValueMode::kBlock);
  CHECK(section.options.model.l2.W_V == 0.001);
  CHECK(section.options.masking == sim::MaskingSchedule::kDynamic);
  CHECK(section.documents == 300);
  CHECK(section.options.batch == 40);  // untouched default

  const sim::TrainingSection authors = sim::ParseTrainingSection(YAML::Load("training: {preset: authors, steps: 7}"));
  CHECK(authors.authors_preset);
  CHECK(authors.options.model.attention == sim::AttentionMode::kTrainable);
  CHECK(authors.options.steps == 7);

  auto parse = [](const std::string& text) { return sim::ParseTrainingSection(YAML::Load(text)); };
  CHECK_THROWS_WITH(parse("training:\n  batch: 0\n"), Catch::Contains("training.batch must be >= 1, got 0 (line 2)"));
  CHECK_THROWS_WITH(parse("training:\n  optimizer: lbfgs\n"),
                    Catch::Contains("training.optimizer must be sgd or adam, got 'lbfgs'"));
  CHECK_THROWS_WITH(parse("training:\n  lr: -1\n"), Catch::Contains("training.lr must be > 0, got -1"));
  CHECK_THROWS_WITH(parse("training:\n  l2: {W_V: -2}\n"), Catch::Contains("training.l2.W_V must be >= 0, got -2"));
  CHECK_THROWS_WITH(parse("training:\n  stpes: 3\n"), Catch::Contains("training: unknown key 'stpes'"));
  CHECK_THROWS_WITH(parse("training:\n  preset: bert\n"), Catch::Contains("training.preset must be authors, got 'bert'"));
}
