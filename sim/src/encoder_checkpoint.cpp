#include "ldaformer/sim/encoder_checkpoint.hpp"

#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "checkpoint_json.hpp"

namespace ldaformer::sim {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "ldaformer-encoder-checkpoint";
constexpr int kVersion = 1;
constexpr long long kMaxSteps = std::numeric_limits<int>::max();

std::string LayerColumn(std::size_t layer, const char* name) { return fmt::format("layer{}.{}", layer + 1, name); }

// The trajectory's columns besides "step" and the per-layer ones.
struct PointColumn {
  const char* name;
  double EncoderTrajectoryPoint::*value;
};
constexpr PointColumn kPointColumns[] = {{"objective", &EncoderTrajectoryPoint::objective},
                                         {"batch_loss", &EncoderTrajectoryPoint::data_loss},
                                         {"norm_E", &EncoderTrajectoryPoint::norm_E}};

json TrajectoryToJson(const std::vector<EncoderTrajectoryPoint>& trajectory, std::size_t layers) {
  json columns = {{"step", json::array()}};
  std::vector<double> values(trajectory.size());
  auto column = [&](const std::string& name, auto value_of) {
    for (std::size_t i = 0; i < trajectory.size(); ++i) values[i] = value_of(trajectory[i]);
    columns[name] = checkpoint_json::FromNumbers(values);
  };
  for (const EncoderTrajectoryPoint& p : trajectory) columns["step"].push_back(p.step);
  for (const PointColumn& c : kPointColumns)
    column(c.name, [&](const EncoderTrajectoryPoint& p) { return p.*c.value; });
  for (std::size_t l = 0; l < layers; ++l) {
    for (const LayerNormsColumn& c : kLayerNormsColumns) {
      column(LayerColumn(l, c.name), [&](const EncoderTrajectoryPoint& p) { return p.layers[l].*c.value; });
    }
  }
  return columns;
}

std::vector<EncoderTrajectoryPoint> TrajectoryFromJson(const json& json, std::size_t layers, const std::string& where) {
  const nlohmann::json& steps = json.at("step");
  if (!steps.is_array()) throw std::invalid_argument(fmt::format("{}.step must be a list", where));
  std::vector<EncoderTrajectoryPoint> trajectory(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    trajectory[i].step =
        static_cast<int>(checkpoint_json::Integer(steps[i], fmt::format("{}.step[{}]", where, i), 0, kMaxSteps));
    trajectory[i].layers.resize(layers);
  }
  auto column = [&](const std::string& name, auto assign) {
    const std::vector<double> values = checkpoint_json::ToNumbers(json.at(name), where + "." + name);
    if (values.size() != steps.size()) {
      throw std::invalid_argument(
          fmt::format("{}.{} has {} entries, step has {}", where, name, values.size(), steps.size()));
    }
    for (std::size_t i = 0; i < steps.size(); ++i) assign(trajectory[i], values[i]);
  };
  for (const PointColumn& c : kPointColumns) {
    column(c.name, [&](EncoderTrajectoryPoint& p, double x) { p.*c.value = x; });
  }
  for (std::size_t l = 0; l < layers; ++l) {
    for (const LayerNormsColumn& c : kLayerNormsColumns) {
      column(LayerColumn(l, c.name), [&](EncoderTrajectoryPoint& p, double x) { p.layers[l].*c.value = x; });
    }
  }
  return trajectory;
}

}  // namespace

json ToJson(const EncoderCheckpoint& c) {
  const EncoderParams& p = c.state.params;
  json matrices = json::object();
  ForEachMatrix(
      p, [&](const std::string& name, const theory::Matrix& M) { matrices[name] = checkpoint_json::FromMatrix(M); });
  json lagged = json::array();
  for (const auto& [step, values] : c.state.lagged_values) {
    lagged.push_back({{"step", step}, {"W_V", checkpoint_json::FromMatrices(values)}});
  }
  return {{"format", kFormat},
          {"version", kVersion},
          {"step", c.state.step()},
          {"decoder", theory::NameOf(p.decoder)},
          {"layers", p.layers.size()},
          {"matrices", matrices},
          {"optimizer", checkpoint_json::FromMoments(c.state.optimizer)},
          {"trajectory", TrajectoryToJson(c.state.trajectory, p.layers.size())},
          {"lagged_values", lagged},
          {"meta", c.meta}};
}

EncoderCheckpoint EncoderCheckpointFromJson(const json& json, const std::string& source) {
  try {
    const int step = checkpoint_json::RequireHeader(json, source, kFormat, kVersion);
    EncoderCheckpoint c;
    EncoderTrainingState& state = c.state;
    EncoderParams& p = state.params;
    p.decoder = theory::ParseName<theory::Decoder>(source + ": decoder", json.at("decoder").get<std::string>());
    p.layers.resize(checkpoint_json::Integer(json.at("layers"), source + ": layers", 1, kMaxLayers));
    const nlohmann::json& matrices = json.at("matrices");
    if (!matrices.is_object()) throw std::invalid_argument(fmt::format("{}: matrices must be an object", source));
    std::size_t slots = 0;
    ForEachMatrix(p, [&](const std::string& name, theory::Matrix& M) {
      if (!matrices.contains(name)) {
        throw std::invalid_argument(
            fmt::format("{}: matrices has no {} (a {}-layer encoder)", source, name, p.layers.size()));
      }
      M = checkpoint_json::ToMatrix(matrices.at(name), source + ": matrices." + name);
      ++slots;
    });
    if (matrices.size() != slots) {
      throw std::invalid_argument(fmt::format("{}: matrices has {} entries, a {}-layer encoder has {} slots", source,
                                              matrices.size(), p.layers.size(), slots));
    }
    state.optimizer = checkpoint_json::ToMoments(json.at("optimizer"), source, step);
    state.trajectory = TrajectoryFromJson(json.at("trajectory"), p.layers.size(), source + ": trajectory");
    const nlohmann::json& lagged = json.at("lagged_values");
    if (!lagged.is_array()) throw std::invalid_argument(fmt::format("{}: lagged_values must be a list", source));
    for (std::size_t k = 0; k < lagged.size(); ++k) {
      const std::string where = fmt::format("{}: lagged_values[{}]", source, k);
      const int step = static_cast<int>(checkpoint_json::Integer(lagged[k].at("step"), where + ".step", 0, kMaxSteps));
      state.lagged_values[step] = checkpoint_json::ToMatrices(lagged[k].at("W_V"), where + ".W_V");
    }
    if (json.contains("meta")) c.meta = json.at("meta");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not a valid encoder checkpoint: {}", source, e.what()));
  }
}

EncoderCheckpoint ParseEncoderCheckpoint(const std::string& text, const std::string& source) {
  return EncoderCheckpointFromJson(checkpoint_json::Parse(text, source), source);
}

void WriteEncoderCheckpoint(const std::string& path, const EncoderCheckpoint& checkpoint) {
  checkpoint_json::WriteAtomically(path, ToJson(checkpoint));
}

EncoderCheckpoint ReadEncoderCheckpoint(const std::string& path) {
  return EncoderCheckpointFromJson(checkpoint_json::ReadFile(path, "checkpoint"), path);
}

}  // namespace ldaformer::sim
