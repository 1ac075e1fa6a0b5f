// The encoder's checkpoint format (encoder_checkpoint.hpp) without training (so that the sanitizer build,
// which has no LibTorch, checks its parser): written and read back bit for bit, NaN rotations included, and
// malformed files refused naming the field.
#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "ldaformer/sim/encoder_checkpoint.hpp"
#include "model_switches.hpp"

using namespace ldaformer;
using theory::Matrix;

namespace {

// A 2-layer state with every slot kind, Adam's moments, a trajectory with an undefined rotation and a W^V
// history.
sim::EncoderTrainingState SomeState() {
  const theory::Scenario s = sim::testing::SmallScenario(theory::KeySet::kAllPositions);
  sim::EncoderConfig c;
  c.model.attention = sim::AttentionMode::kTrainable;
  c.model.d = 4;
  c.model.decoder = theory::Decoder::kTied;
  c.architecture.layers = 2;
  c.architecture.heads = 2;
  c.architecture.layernorm = true;
  c.architecture.ffn = 3;
  c.architecture.output_projection = true;
  c.architecture.input_path = true;
  sim::EncoderTrainingState state;
  state.params = sim::InitialEncoderParams(c, s.topics, s.tokens(), 0.7, 3, sim::Initialisation::kScaledNormal);
  state.params.input_vector.setConstant(1.0 / 3.0);  // not a short decimal
  state.optimizer.t = 12;
  state.optimizer.first = {state.params.E, state.params.layers[1].W_1};
  state.optimizer.second = {state.params.E.cwiseAbs(), state.params.layers[1].W_1.cwiseAbs()};
  for (int step : {0, 10}) {
    sim::EncoderTrajectoryPoint p{step, 1.25 + step, 1.0 / 7.0, 2.0, {}};
    p.layers = {{0.1, 0.2, 0.3, step == 0 ? std::numeric_limits<double>::quiet_NaN() : 1e-17}, {0.4, 0.5, 0.6, 0.7}};
    state.trajectory.push_back(p);
  }
  state.lagged_values[5] = {state.params.layers[0].W_V, state.params.layers[1].W_V};
  return state;
}

}  // namespace

TEST_CASE("encoder checkpoint json: written and read back bit for bit", "[sim][encoder][checkpoint]") {
  const sim::EncoderTrainingState state = SomeState();
  const nlohmann::json json = sim::ToJson(sim::EncoderCheckpoint{state, {{"run", "x"}}});
  // Through the text, as a file holds it.
  const sim::EncoderCheckpoint back = sim::ParseEncoderCheckpoint(json.dump(), "x.json");
  CHECK(back.meta["run"] == "x");
  CHECK(back.state.step() == 12);
  CHECK(back.state.params.decoder == theory::Decoder::kTied);
  REQUIRE(back.state.params.layers.size() == 2);
  std::vector<const Matrix*> expected;
  sim::ForEachMatrix(state.params, [&](const std::string&, const Matrix& M) { expected.push_back(&M); });
  std::size_t k = 0;
  sim::ForEachMatrix(back.state.params, [&](const std::string& name, const Matrix& M) {
    INFO(name);
    CHECK(M.rows() == expected[k]->rows());
    CHECK(M == *expected[k++]);
  });
  REQUIRE(back.state.optimizer.second.size() == 2);
  CHECK(back.state.optimizer.second[1] == state.optimizer.second[1]);
  REQUIRE(back.state.trajectory.size() == 2);
  CHECK(std::isnan(back.state.trajectory[0].layers[0].V_rotation));
  CHECK(back.state.trajectory[1].layers[0].V_rotation == 1e-17);
  CHECK(back.state.trajectory[1].data_loss == 1.0 / 7.0);
  CHECK(back.state.trajectory[1].layers[1].W_Q == 0.5);
  REQUIRE(back.state.lagged_values.count(5) == 1);
  CHECK(back.state.lagged_values.at(5)[1] == state.params.layers[1].W_V);
}

TEST_CASE("encoder checkpoint json: malformed files are refused, naming the field",
          "[sim][encoder][checkpoint][validation]") {
  const nlohmann::json good = sim::ToJson(sim::EncoderCheckpoint{SomeState(), {}});
  auto refused = [&](auto edit, const std::string& message) {
    nlohmann::json bad = good;
    edit(bad);
    INFO(message);
    CHECK_THROWS_WITH(sim::EncoderCheckpointFromJson(bad, "x.json"), Catch::Contains(message));
  };
  refused([](nlohmann::json& j) { j["format"] = "ldaformer-checkpoint"; },
          "x.json: format must be \"ldaformer-encoder-checkpoint\"");
  refused([](nlohmann::json& j) { j["version"] = 2; }, "version must be 1, got 2");
  refused([](nlohmann::json& j) { j["layers"] = 65; }, "x.json: layers must be an integer in 1..64, got 65");
  refused([](nlohmann::json& j) { j["layers"] = 3; }, "x.json: matrices has no layer3.W_K (a 3-layer encoder)");
  refused([](nlohmann::json& j) { j["matrices"]["extra"] = j["matrices"]["E"]; },
          "matrices has 29 entries, a 2-layer encoder has 28 slots");
  refused([](nlohmann::json& j) { j["matrices"]["layer2.W_V"]["rows"] = 5; },
          "x.json: matrices.layer2.W_V: 16 entries do not fill 5 rows x 4 cols");
  refused([](nlohmann::json& j) { j["trajectory"]["layer2.W_V_rotation"].push_back(1.0); },
          "x.json: trajectory.layer2.W_V_rotation has 3 entries, step has 2");
  refused([](nlohmann::json& j) { j["trajectory"]["objective"][0] = "high"; },
          "x.json: trajectory.objective[0] must be a number or null, got \"high\"");
  refused([](nlohmann::json& j) { j["trajectory"]["step"][1] = -4; }, "x.json: trajectory.step[1] must be an integer");
  refused([](nlohmann::json& j) { j["lagged_values"][0]["W_V"] = 3; }, "x.json: lagged_values[0].W_V must be a list");
  refused([](nlohmann::json& j) { j["decoder"] = "untied"; }, "x.json: decoder must be identity or tied");
  refused([](nlohmann::json& j) { j.erase("optimizer"); }, "x.json: not a valid encoder checkpoint");
  CHECK_THROWS_WITH(sim::ParseEncoderCheckpoint("{\"format\": ", "y.json"), Catch::Contains("y.json: not valid JSON"));
  CHECK_THROWS_WITH(sim::ParseEncoderCheckpoint("[1, 2]", "y.json"), Catch::Contains("y.json: format must be"));
}
