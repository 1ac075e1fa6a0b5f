// Masking, optimizers, the training loop's reproducibility, and checkpoints.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "ldaformer/sim/checkpoint.hpp"
#include "ldaformer/sim/masked_example.hpp"
#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/sim/trainer.hpp"
#include "ldaformer/sim/training_yaml.hpp"
#include "ldaformer/theory/corpus.hpp"

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
  const theory::Corpus corpus = theory::SampleCorpus(s, 10, 4);
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
  // A warm-up of 4 steps: lr / 4, 2 lr / 4, 3 lr / 4, then lr (times the schedule's factor).
  options.schedule = sim::LearningRateSchedule::kConstant;
  options.warmup = 4;
  sim::Optimizer warming(options, 10);
  for (double expected : {0.025, 0.05, 0.075, 0.1, 0.1}) {
    CHECK(warming.CurrentLearningRate() == Approx(expected));
    warming.Step({&Y}, {&G});
  }
  options.schedule = sim::LearningRateSchedule::kLinear;
  sim::Optimizer warming_decaying(options, 10);
  for (int k = 0; k < 5; ++k) warming_decaying.Step({&Y}, {&G});
  CHECK(warming_decaying.CurrentLearningRate() == Approx(0.1 * 0.5));
  options.warmup = -2;
  CHECK_THROWS_WITH(sim::Optimizer(options, 1), Catch::Contains("training.warmup must be >= 0, got -2"));
  options.warmup = 0;
  options.lr = -1;
  CHECK_THROWS_WITH(sim::Optimizer(options, 1), Catch::Contains("training.lr must be finite and > 0, got -1"));
}

TEST_CASE("trainer: runs are bit-identical for any thread count and repeatable", "[sim][reproducibility]") {
  const theory::Scenario s = TinyScenario();
  const theory::Corpus corpus = theory::SampleCorpus(s, 40, 8);  // 40 = 5 batches of 7 + one of 5
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
  const theory::Corpus corpus = theory::SampleCorpus(s, 20, 8);
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
  theory::Corpus corpus = theory::SampleCorpus(s, 5, 1);
  sim::TrainingOptions o = TinyOptions();
  o.batch = 0;
  CHECK_THROWS_WITH(sim::Train(corpus, s, o), Catch::Contains("training.batch must be >= 1, got 0"));
  o = TinyOptions();
  o.init_scale = std::nan("");
  CHECK_THROWS_WITH(sim::Train(corpus, s, o), Catch::Contains("training.init_scale must be finite"));
  o = TinyOptions();
  corpus.documents[3].push_back(8);
  CHECK_THROWS_WITH(sim::Train(corpus, s, o),
                    Catch::Contains("corpus document 3 has word id 8, outside the scenario's vocabulary 0..7"));
}

namespace {

void RequireSameRun(const sim::TrainingResult& a, const sim::TrainingResult& b) {
  CHECK(a.steps_taken == b.steps_taken);
  CHECK(a.params.E == b.params.E);
  CHECK(a.params.W_K == b.params.W_K);
  CHECK(a.params.W_Q == b.params.W_Q);
  CHECK(a.params.W_V == b.params.W_V);
  REQUIRE(a.trajectory.size() == b.trajectory.size());
  for (std::size_t i = 0; i < a.trajectory.size(); ++i) {
    CHECK(a.trajectory[i].step == b.trajectory[i].step);
    CHECK(a.trajectory[i].objective == b.trajectory[i].objective);
    CHECK(a.trajectory[i].norm_W_K == b.trajectory[i].norm_W_K);
  }
}

}  // namespace

TEST_CASE("checkpoint: a run stopped, written, read back and resumed equals the run without a stop",
          "[sim][checkpoint]") {
  const theory::Scenario s = TinyScenario();
  const theory::Corpus corpus = theory::SampleCorpus(s, 40, 8);
  sim::TrainingOptions o = TinyOptions();
  o.optimizer.kind = GENERATE(sim::OptimizerKind::kSgd, sim::OptimizerKind::kAdam);
  o.optimizer.lr = o.optimizer.kind == sim::OptimizerKind::kSgd ? 0.1 : 0.01;
  o.optimizer.schedule = sim::LearningRateSchedule::kLinear;  // the schedule reads the optimizer's clock
  o.masking = sim::MaskingSchedule::kDynamic;                 // masks depend on the epoch: 13 is mid-epoch
  const sim::TrainingResult whole = sim::Train(corpus, s, o);
  REQUIRE(whole.termination == sim::Termination::kCompleted);

  o.stop_at = 13;
  const sim::TrainingResult first = sim::Train(corpus, s, o);
  REQUIRE(first.termination == sim::Termination::kStopped);
  CHECK(first.steps_taken == 13);
  // A fresh directory of this run's own (concurrent runs share the temporary directory), removed at the end.
  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("ldaformer-checkpoint-" + std::to_string(std::random_device{}()));
  REQUIRE(std::filesystem::create_directory(directory));
  const std::string path = (directory / "resume.json").string();
  sim::WriteCheckpoint(path, {first.State(), {{"scenario", s.name}}});
  const sim::Checkpoint back = sim::ReadCheckpoint(path);
  std::filesystem::remove_all(directory);
  CHECK(back.meta["scenario"] == "tiny");
  CHECK(back.state.step() == 13);
  CHECK(back.state.params.decoder == theory::Decoder::kTied);
  CHECK(back.state.optimizer.first.size() == (o.optimizer.kind == sim::OptimizerKind::kAdam ? 4u : 0u));
  o.stop_at = -1;
  const sim::TrainingResult resumed = sim::Train(corpus, s, o, back.state);
  CHECK(resumed.first_step == 13);
  RequireSameRun(resumed, whole);
  for (std::size_t k = 0; k < whole.optimizer.first.size(); ++k) {
    CHECK(resumed.optimizer.first[k] == whole.optimizer.first[k]);
    CHECK(resumed.optimizer.second[k] == whole.optimizer.second[k]);
  }

  // Control: the same state with the optimizer's memory wiped (Adam's moments zeroed, the clock kept)
  // does not continue the run, so the equality above is not vacuous.
  if (o.optimizer.kind == sim::OptimizerKind::kAdam) {
    sim::TrainingState wiped = back.state;
    for (Matrix& m : wiped.optimizer.first) m.setZero();
    for (Matrix& m : wiped.optimizer.second) m.setZero();
    const sim::TrainingResult restarted = sim::Train(corpus, s, o, wiped);
    CHECK((restarted.params.W_V - whole.params.W_V).norm() > 1e-3 * whole.params.W_V.norm());
  }
}

TEST_CASE("checkpoint: periodic states continue the run exactly", "[sim][checkpoint]") {
  const theory::Scenario s = TinyScenario();
  const theory::Corpus corpus = theory::SampleCorpus(s, 40, 8);
  sim::TrainingOptions o = TinyOptions();
  std::vector<sim::TrainingState> states;
  o.checkpoint_every = 10;
  o.on_checkpoint = [&](const sim::TrainingState& state) { states.push_back(state); };
  const sim::TrainingResult whole = sim::Train(corpus, s, o);
  REQUIRE(states.size() == 2);  // steps 10 and 20 of 30: neither the start nor the end
  CHECK(states[0].step() == 10);
  CHECK(states[1].step() == 20);
  CHECK(states[0].trajectory.back().step == 8);  // recorded every 4 steps, before step 10
  o.on_checkpoint = nullptr;
  RequireSameRun(sim::Train(corpus, s, o, states[0]), whole);
  // A completed run extends: with a constant learning rate, 30 + 10 steps equal 40 steps.
  o.steps = 40;
  const sim::TrainingResult longer = sim::Train(corpus, s, o);
  RequireSameRun(sim::Train(corpus, s, o, whole.State()), longer);
}

TEST_CASE("checkpoint: states and files that do not fit are refused, naming the field",
          "[sim][checkpoint][validation]") {
  const theory::Scenario s = TinyScenario();
  const theory::Corpus corpus = theory::SampleCorpus(s, 14, 2);
  sim::TrainingOptions o = TinyOptions();
  o.stop_at = 5;
  const sim::TrainingResult stopped = sim::Train(corpus, s, o);
  o.stop_at = -1;
  sim::TrainingState state = stopped.State();
  state.optimizer.t = 31;
  CHECK_THROWS_WITH(sim::Train(corpus, s, o, state), Catch::Contains("step must be in 0..training.steps = 30, got 31"));
  state = stopped.State();
  state.optimizer.first.clear();
  state.optimizer.second.clear();
  CHECK_THROWS_WITH(sim::Train(corpus, s, o, state), Catch::Contains("Adam after 5 steps needs its moments"));
  state = stopped.State();
  state.optimizer.first.pop_back();
  state.optimizer.second.pop_back();
  CHECK_THROWS_WITH(sim::Train(corpus, s, o, state), Catch::Contains("Adam's moments (3 matrices) do not fit"));
  o.optimizer.kind = sim::OptimizerKind::kSgd;
  CHECK_THROWS_WITH(sim::Train(corpus, s, o, stopped.State()), Catch::Contains("SGD carries no moments"));
  o.stop_at = 31;
  CHECK_THROWS_WITH(sim::Train(corpus, s, o),
                    Catch::Contains("training.stop_at must be -1 or in 0..steps = 30, got 31"));

  const sim::Checkpoint c{stopped.State(), {}};
  nlohmann::json bad = sim::ToJson(c);
  bad["matrices"]["W_V"]["rows"] = 5;
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"),
                    Catch::Contains("x.json: matrices.W_V: 36 entries do not fill 5 rows x 6 cols"));
  bad = sim::ToJson(c);
  bad["version"] = 1;
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("version must be 2, got 1"));
  bad = sim::ToJson(c);
  bad["trajectory"]["norm_W_V"].push_back(1.0);
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"),
                    Catch::Contains("x.json: trajectory.norm_W_V has 3 entries, step has 2"));
  bad = sim::ToJson(c);
  bad["optimizer"]["first"][0]["data"].push_back(1.0);
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("x.json: optimizer.first[0]"));
  bad = sim::ToJson(c);
  bad["decoder"] = "untied";
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"),
                    Catch::Contains("x.json: decoder must be identity or tied, got 'untied'"));
  bad = sim::ToJson(c);
  bad["matrices"].erase("E");
  CHECK_THROWS_WITH(sim::CheckpointFromJson(bad, "x.json"), Catch::Contains("x.json: not a valid checkpoint"));
}

TEST_CASE("corpus fingerprint: equal corpora agree, any change of a word or a boundary shows", "[sim][corpus]") {
  theory::Corpus a;
  a.documents = {{1, 2, 3}, {4, 5}};
  theory::Corpus b = a;
  CHECK(a.Fingerprint() == b.Fingerprint());
  b.documents[1][0] = 6;
  CHECK(a.Fingerprint() != b.Fingerprint());
  b.documents = {{1, 2}, {3, 4, 5}};  // same words, other boundaries
  CHECK(a.Fingerprint() != b.Fingerprint());
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

  // Every name of a table reads as its value.
  for (const auto& [value, name] : theory::kNames<sim::ValueMode>) {
    const std::string text = "training: {value: " + std::string(name) + "}";
    CHECK(sim::ParseTrainingSection(YAML::Load(text)).options.model.value == value);
  }
  for (const auto& [embedding, name] : theory::kNames<sim::EmbeddingMode>) {
    const std::string text = "training: {embedding: " + std::string(name) + "}";
    CHECK(sim::ParseTrainingSection(YAML::Load(text)).options.model.embedding == embedding);
  }

  // `authors` is their committed configuration (W^V only); `authors-full` trains every matrix.
  const sim::TrainingSection authors = sim::ParseTrainingSection(YAML::Load("training: {preset: authors, steps: 7}"));
  CHECK(authors.preset == sim::Preset::kAuthors);
  CHECK(authors.options.model.embedding == sim::EmbeddingMode::kOneHot);
  CHECK(authors.options.model.attention == sim::AttentionMode::kUniform);
  CHECK(authors.options.model.value == sim::ValueMode::kTrainable);
  CHECK(authors.options.model.loss == theory::LossKind::kCrossEntropy);
  CHECK(authors.options.optimizer.kind == sim::OptimizerKind::kAdam);
  CHECK(authors.options.optimizer.lr == 0.01);
  CHECK(authors.options.batch == 40);
  CHECK(authors.options.steps == 7);
  const sim::TrainingSection full = sim::ParseTrainingSection(YAML::Load("training: {preset: authors-full}"));
  CHECK(full.preset == sim::Preset::kAuthorsFull);
  CHECK(full.options.model.embedding == sim::EmbeddingMode::kTrainable);
  CHECK(full.options.model.attention == sim::AttentionMode::kTrainable);
  CHECK(full.options.steps == 5000);
  CHECK(sim::AuthorsPresetDifferences(sim::Preset::kAuthorsFull).size() ==
        sim::AuthorsPresetDifferences(sim::Preset::kAuthors).size() + 1);

  auto parse = [](const std::string& text) { return sim::ParseTrainingSection(YAML::Load(text)); };
  CHECK_THROWS_WITH(parse("training:\n  batch: 0\n"), Catch::Contains("training.batch must be >= 1, got 0 (line 2)"));
  CHECK_THROWS_WITH(parse("training:\n  optimizer: lbfgs\n"),
                    Catch::Contains("training.optimizer must be sgd or adam, got 'lbfgs' (line 2)"));
  CHECK_THROWS_WITH(parse("training:\n  value: free\n"),
                    Catch::Contains("training.value must be trainable, identity or block, got 'free'"));
  CHECK_THROWS_WITH(parse("training:\n  lr: -1\n"), Catch::Contains("training.lr must be > 0, got -1"));
  CHECK_THROWS_WITH(parse("training:\n  l2: {W_V: -2}\n"), Catch::Contains("training.l2.W_V must be >= 0, got -2"));
  CHECK_THROWS_WITH(parse("training:\n  stpes: 3\n"), Catch::Contains("training: unknown key 'stpes'"));
  CHECK_THROWS_WITH(parse("training:\n  preset: bert\n"),
                    Catch::Contains("training.preset must be none, authors or authors-full, got 'bert'"));
}
