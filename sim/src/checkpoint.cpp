#include "ldaformer/sim/checkpoint.hpp"

#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "checkpoint_json.hpp"

namespace ldaformer::sim {

namespace {

constexpr const char* kFormat = "ldaformer-checkpoint";
constexpr int kVersion = 2;
constexpr long long kMaxSteps = std::numeric_limits<int>::max();

// The trajectory's columns besides "step", by name.
struct TrajectoryColumn {
  const char* name;
  double TrajectoryPoint::*value;
};
constexpr TrajectoryColumn kTrajectoryColumns[] = {
    {"objective", &TrajectoryPoint::objective}, {"batch_loss", &TrajectoryPoint::data_loss},
    {"norm_E", &TrajectoryPoint::norm_E},       {"norm_W_K", &TrajectoryPoint::norm_W_K},
    {"norm_W_Q", &TrajectoryPoint::norm_W_Q},   {"norm_W_V", &TrajectoryPoint::norm_W_V}};

std::vector<TrajectoryPoint> TrajectoryFromJson(const nlohmann::json& json, const std::string& where) {
  const nlohmann::json& steps = json.at("step");
  if (!steps.is_array()) throw std::invalid_argument(fmt::format("{}.step must be a list", where));
  std::vector<TrajectoryPoint> trajectory(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    trajectory[i].step =
        static_cast<int>(checkpoint_json::Integer(steps[i], fmt::format("{}.step[{}]", where, i), 0, kMaxSteps));
  }
  for (const TrajectoryColumn& column : kTrajectoryColumns) {
    const auto values = json.at(column.name).get<std::vector<double>>();
    if (values.size() != steps.size()) {
      throw std::invalid_argument(
          fmt::format("{}.{} has {} entries, step has {}", where, column.name, values.size(), steps.size()));
    }
    for (std::size_t i = 0; i < steps.size(); ++i) trajectory[i].*column.value = values[i];
  }
  return trajectory;
}

}  // namespace

nlohmann::json TrajectoryToJson(const std::vector<TrajectoryPoint>& trajectory) {
  nlohmann::json json = {{"step", nlohmann::json::array()}};
  for (const TrajectoryColumn& column : kTrajectoryColumns) json[column.name] = nlohmann::json::array();
  for (const TrajectoryPoint& p : trajectory) {
    json["step"].push_back(p.step);
    for (const TrajectoryColumn& column : kTrajectoryColumns) json[column.name].push_back(p.*column.value);
  }
  return json;
}

nlohmann::json ToJson(const Checkpoint& c) {
  const theory::TransformerParams& p = c.state.params;
  return {{"format", kFormat},
          {"version", kVersion},
          {"step", c.state.step()},
          {"decoder", theory::NameOf(p.decoder)},
          {"matrices",
           {{"E", checkpoint_json::FromMatrix(p.E)},
            {"W_K", checkpoint_json::FromMatrix(p.W_K)},
            {"W_Q", checkpoint_json::FromMatrix(p.W_Q)},
            {"W_V", checkpoint_json::FromMatrix(p.W_V)}}},
          {"optimizer", checkpoint_json::FromMoments(c.state.optimizer)},
          {"trajectory", TrajectoryToJson(c.state.trajectory)},
          {"meta", c.meta}};
}

Checkpoint CheckpointFromJson(const nlohmann::json& json, const std::string& source) {
  try {
    const int step = checkpoint_json::RequireHeader(json, source, kFormat, kVersion);
    Checkpoint c;
    TrainingState& state = c.state;
    theory::TransformerParams& p = state.params;
    p.decoder = theory::ParseName<theory::Decoder>(source + ": decoder", json.at("decoder").get<std::string>());
    const nlohmann::json& m = json.at("matrices");
    p.E = checkpoint_json::ToMatrix(m.at("E"), source + ": matrices.E");
    p.W_K = checkpoint_json::ToMatrix(m.at("W_K"), source + ": matrices.W_K");
    p.W_Q = checkpoint_json::ToMatrix(m.at("W_Q"), source + ": matrices.W_Q");
    p.W_V = checkpoint_json::ToMatrix(m.at("W_V"), source + ": matrices.W_V");
    p.Validate();
    state.optimizer = checkpoint_json::ToMoments(json.at("optimizer"), source, step);
    state.trajectory = TrajectoryFromJson(json.at("trajectory"), source + ": trajectory");
    if (json.contains("meta")) c.meta = json.at("meta");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not a valid checkpoint: {}", source, e.what()));
  }
}

void WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint) {
  checkpoint_json::WriteAtomically(path, ToJson(checkpoint));
}

Checkpoint ReadCheckpoint(const std::string& path) {
  return CheckpointFromJson(checkpoint_json::ReadFile(path, "checkpoint"), path);
}

Checkpoint ParseCheckpoint(const std::string& text, const std::string& source) {
  return CheckpointFromJson(checkpoint_json::Parse(text, source), source);
}

}  // namespace ldaformer::sim
