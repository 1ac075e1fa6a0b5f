// Encoder runs stopped, written, read back and resumed: they end bit for bit where the run without a stop ends
// (parameters, Adam's moments, the trajectory with its W^V rotations), on another thread count too; states
// that do not fit the run are refused, naming what differs.
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ldaformer/sim/encoder_checkpoint.hpp"
#include "ldaformer/sim/encoder_trainer.hpp"
#include "ldaformer/theory/corpus.hpp"
#include "model_switches.hpp"

using namespace ldaformer;
using theory::Matrix;

namespace {

// A 2-layer, 2-head encoder with every slot kind (residual, LayerNorm, feed-forward, projection, input
// path), trainable E of width 4 and the tied decoder, recorded every 3 steps so that the W^V rotation of a
// point after the stop reads a W^V from before it.
sim::TrainingOptions EncoderOptions() {
  sim::TrainingOptions o;
  o.model.attention = sim::AttentionMode::kTrainable;
  o.model.decoder = theory::Decoder::kTied;
  o.model.d = 4;
  o.architecture.layers = 2;
  o.architecture.heads = 2;
  o.architecture.residual = true;
  o.architecture.layernorm = true;
  o.architecture.ffn = 3;
  o.architecture.output_projection = true;
  o.architecture.input_path = true;
  o.steps = 30;
  o.batch = 6;
  o.init_scale = 0.3;
  o.record_every = 3;
  o.progress = false;
  return o;
}

// Adam: its moments are the optimizer state a checkpoint must carry besides the parameters.
sim::TrainingOptions AdamEncoderOptions() {
  sim::TrainingOptions o = EncoderOptions();
  o.optimizer.kind = sim::OptimizerKind::kAdam;
  o.optimizer.lr = 0.01;
  return o;
}

void RequireSameRun(const sim::EncoderTrainingResult& a, const sim::EncoderTrainingResult& b) {
  REQUIRE(a.termination == b.termination);
  REQUIRE(a.steps_taken == b.steps_taken);
  std::vector<const Matrix*> expected;
  sim::ForEachMatrix(b.params, [&](const std::string&, const Matrix& M) { expected.push_back(&M); });
  std::size_t k = 0;
  sim::ForEachMatrix(a.params, [&](const std::string& name, const Matrix& M) {
    INFO(name);
    CHECK(M == *expected[k++]);
  });
  REQUIRE(a.optimizer.first.size() == b.optimizer.first.size());
  for (std::size_t m = 0; m < b.optimizer.first.size(); ++m) {
    CHECK(a.optimizer.first[m] == b.optimizer.first[m]);
    CHECK(a.optimizer.second[m] == b.optimizer.second[m]);
  }
  REQUIRE(a.trajectory.size() == b.trajectory.size());
  for (std::size_t i = 0; i < b.trajectory.size(); ++i) {
    INFO("point " << i << ", step " << b.trajectory[i].step);
    CHECK(a.trajectory[i].step == b.trajectory[i].step);
    CHECK(a.trajectory[i].objective == b.trajectory[i].objective);
    for (std::size_t l = 0; l < b.trajectory[i].layers.size(); ++l) {
      const sim::LayerNorms &x = a.trajectory[i].layers[l], &y = b.trajectory[i].layers[l];
      CHECK(x.W_K == y.W_K);
      CHECK(x.W_V == y.W_V);
      // Bit for bit, NaN (no W^V 10 steps back yet) included.
      CHECK((x.V_rotation == y.V_rotation || (std::isnan(x.V_rotation) && std::isnan(y.V_rotation))));
    }
  }
}

}  // namespace

TEST_CASE("encoder checkpoint: a run stopped, written, read back and resumed equals the run without a stop",
          "[sim][encoder][checkpoint]") {
  const theory::Scenario s = sim::testing::SmallScenario(theory::KeySet::kUnselectedOnly);
  const theory::Corpus corpus = theory::SampleCorpus(s, 40, 8);
  sim::TrainingOptions o = EncoderOptions();
  o.optimizer.kind = GENERATE(sim::OptimizerKind::kSgd, sim::OptimizerKind::kAdam);
  o.optimizer.lr = o.optimizer.kind == sim::OptimizerKind::kSgd ? 0.05 : 0.01;
  o.optimizer.schedule = sim::LearningRateSchedule::kLinear;  // the schedule reads the optimizer's clock
  o.masking = sim::MaskingSchedule::kDynamic;                 // masks depend on the epoch: 13 is mid-epoch
  const sim::EncoderTrainingResult whole = sim::TrainEncoder(corpus, s, o);
  REQUIRE(whole.termination == sim::Termination::kCompleted);
  REQUIRE(std::isfinite(whole.trajectory.back().layers[1].V_rotation));

  o.stop_at = 13;
  const sim::EncoderTrainingResult first = sim::TrainEncoder(corpus, s, o);
  REQUIRE(first.termination == sim::Termination::kStopped);
  CHECK(first.steps_taken == 13);
  // The rotations of steps 15, 18 and 21 compare with W^V at steps 5, 8 and 11, all before the stop.
  const sim::EncoderTrainingState state = first.State();
  CHECK(state.lagged_values.size() == 3);
  CHECK(state.lagged_values.begin()->first == 5);
  const std::filesystem::path directory = std::filesystem::temp_directory_path() /
                                          ("ldaformer-encoder-checkpoint-" + std::to_string(std::random_device{}()));
  REQUIRE(std::filesystem::create_directory(directory));
  const std::string path = (directory / "resume.json").string();
  sim::WriteEncoderCheckpoint(path, {state, {{"scenario", s.name}}});
  const sim::EncoderCheckpoint back = sim::ReadEncoderCheckpoint(path);
  std::filesystem::remove_all(directory);
  CHECK(back.meta["scenario"] == "small");
  CHECK(back.state.step() == 13);
  CHECK(std::isnan(back.state.trajectory.front().layers[0].V_rotation));  // null in the JSON
  o.stop_at = -1;
  o.threads = 2;
  const sim::EncoderTrainingResult resumed = sim::TrainEncoder(corpus, s, o, back.state);
  CHECK(resumed.first_step == 13);
  RequireSameRun(resumed, whole);

  // Controls: the equality is not vacuous. Without the W^V history the rotations after the stop are not
  // measured; with Adam's memory wiped the run goes elsewhere.
  sim::EncoderTrainingState forgetful = back.state;
  forgetful.lagged_values.clear();
  const sim::EncoderTrainingResult without_history = sim::TrainEncoder(corpus, s, o, forgetful);
  CHECK(std::isnan(without_history.trajectory[5].layers[0].V_rotation));  // step 15
  if (o.optimizer.kind == sim::OptimizerKind::kAdam) {
    sim::EncoderTrainingState wiped = back.state;
    for (Matrix& m : wiped.optimizer.first) m.setZero();
    for (Matrix& m : wiped.optimizer.second) m.setZero();
    const sim::EncoderTrainingResult restarted = sim::TrainEncoder(corpus, s, o, wiped);
    const Matrix& V = whole.params.layers[0].W_V;
    CHECK((restarted.params.layers[0].W_V - V).norm() > 1e-3 * V.norm());
  }
}

TEST_CASE("encoder checkpoint: periodic states continue the run exactly, and a finished run extends",
          "[sim][encoder][checkpoint]") {
  const theory::Scenario s = sim::testing::SmallScenario(theory::KeySet::kAllPositions);
  const theory::Corpus corpus = theory::SampleCorpus(s, 30, 3);
  sim::TrainingOptions o = AdamEncoderOptions();
  std::vector<sim::EncoderTrainingState> states;
  o.checkpoint_every = 10;
  o.on_encoder_checkpoint = [&](const sim::EncoderTrainingState& state) { states.push_back(state); };
  const sim::EncoderTrainingResult whole = sim::TrainEncoder(corpus, s, o);
  REQUIRE(states.size() == 2);  // steps 10 and 20 of 30: neither the start nor the end
  CHECK(states[1].step() == 20);
  CHECK(states[1].trajectory.back().step == 18);
  o.on_encoder_checkpoint = nullptr;
  RequireSameRun(sim::TrainEncoder(corpus, s, o, states[0]), whole);
  // With a constant learning rate, 30 + 9 steps equal 39 steps; the rotations at steps 30..39 read the W^V
  // of steps 20..29 that the finished run's state keeps.
  o.steps = 39;
  const sim::EncoderTrainingResult longer = sim::TrainEncoder(corpus, s, o);
  const sim::EncoderTrainingResult extended = sim::TrainEncoder(corpus, s, o, whole.State());
  REQUIRE(extended.trajectory.size() == longer.trajectory.size());
  CHECK(extended.params.layers[1].W_V == longer.params.layers[1].W_V);
  CHECK(extended.trajectory.back().step == 39);
  CHECK(extended.trajectory.back().layers[0].V_rotation == longer.trajectory.back().layers[0].V_rotation);
}

TEST_CASE("encoder checkpoint: states and files that do not fit are refused, naming the field",
          "[sim][encoder][checkpoint][validation]") {
  const theory::Scenario s = sim::testing::SmallScenario(theory::KeySet::kUnselectedOnly);
  const theory::Corpus corpus = theory::SampleCorpus(s, 20, 2);
  sim::TrainingOptions o = AdamEncoderOptions();
  o.stop_at = 14;
  const sim::EncoderTrainingResult stopped = sim::TrainEncoder(corpus, s, o);
  o.stop_at = -1;
  sim::EncoderTrainingState state = stopped.State();
  state.optimizer.t = 31;
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state), Catch::Contains("step must be in 0..training.steps = 30"));
  state = stopped.State();
  state.trajectory.pop_back();
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state), Catch::Contains("does not fit its trajectory"));
  state = stopped.State();
  state.params.layers[1].W_1.resize(2, 4);
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state),
                    Catch::Contains("starting parameters: layer2.W_1 is 2x4, the encoder's is 3x4"));
  state = stopped.State();
  state.params.layers.pop_back();
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state), Catch::Contains("1 layers with decoder tied"));
  state = stopped.State();
  state.optimizer.first.pop_back();
  state.optimizer.second.pop_back();
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state), Catch::Contains("do not have the shapes of the"));
  state = stopped.State();
  state.lagged_values[2] = state.lagged_values.begin()->second;
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state),
                    Catch::Contains("W^V history at step 2, but a state at step 14 keeps steps 4..13"));
  state = stopped.State();
  state.lagged_values.begin()->second.pop_back();
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, o, state), Catch::Contains("does not fit the layers' W^V"));
  // A frozen slot is the configuration's, not the state's: uniform attention keeps W^K = W^Q = 0.
  sim::TrainingOptions uniform = EncoderOptions();
  uniform.model.attention = sim::AttentionMode::kUniform;
  uniform.stop_at = 3;
  state = sim::TrainEncoder(corpus, s, uniform).State();
  uniform.stop_at = -1;
  state.params.layers[0].W_K(0, 0) = 1.0;
  CHECK_THROWS_WITH(sim::TrainEncoder(corpus, s, uniform, state),
                    Catch::Contains("layer1.W_K is frozen but differs from its fixed value"));
}
