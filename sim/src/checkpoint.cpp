#include "ldaformer/sim/checkpoint.hpp"

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/input_file.hpp"
#include "ldaformer/theory/integer_field.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim {

namespace {

constexpr const char* kFormat = "ldaformer-checkpoint";
constexpr int kVersion = 2;
constexpr long long kMaxSteps = std::numeric_limits<int>::max();

// An integer of the JSON, range-checked before any conversion: nlohmann's own get<int>() on 5e20 or on a
// value outside int is undefined behaviour.
long long JsonInteger(const nlohmann::json& json, const std::string& where, long long lo, long long hi) {
  if (json.is_number_unsigned()) {
    const auto value = json.get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(hi)) {
      throw std::invalid_argument(fmt::format("{} must be an integer in {}..{}, got {}", where, lo, hi, value));
    }
  }
  if (json.is_number_integer()) {
    const auto value = json.get<long long>();
    if (value < lo || value > hi) {
      throw std::invalid_argument(fmt::format("{} must be an integer in {}..{}, got {}", where, lo, hi, value));
    }
    return value;
  }
  if (json.is_number_float()) return theory::CheckedInteger(json.get<double>(), where, lo, hi);
  throw std::invalid_argument(fmt::format("{} must be an integer, got {}", where, json.dump()));
}

nlohmann::json MatrixToJson(const theory::Matrix& X) {
  std::vector<double> data;
  data.reserve(X.size());
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j) data.push_back(X(i, j));
  return {{"rows", X.rows()}, {"cols", X.cols()}, {"data", data}};
}

theory::Matrix MatrixFromJson(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object() || !json.contains("rows") || !json.contains("cols") || !json.contains("data")) {
    throw std::invalid_argument(fmt::format("{} must be an object with rows, cols and data", where));
  }
  constexpr long long kMaxSide = theory::kMaxVocabulary + theory::kMaxSpecialTokens;
  const long long rows = JsonInteger(json.at("rows"), where + ".rows", 0, kMaxSide);
  const long long cols = JsonInteger(json.at("cols"), where + ".cols", 0, kMaxSide);
  const auto data = json.at("data").get<std::vector<double>>();
  // Both sides are below 2^24, so the product cannot overflow.
  if (data.size() != static_cast<std::size_t>(rows * cols)) {
    throw std::invalid_argument(
        fmt::format("{}: {} entries do not fill {} rows x {} cols", where, data.size(), rows, cols));
  }
  theory::Matrix X(rows, cols);
  for (long long i = 0; i < rows; ++i)
    for (long long j = 0; j < cols; ++j) X(i, j) = data[static_cast<std::size_t>(i * cols + j)];
  return X;
}

nlohmann::json MatricesToJson(const std::vector<theory::Matrix>& matrices) {
  nlohmann::json list = nlohmann::json::array();
  for (const theory::Matrix& X : matrices) list.push_back(MatrixToJson(X));
  return list;
}

std::vector<theory::Matrix> MatricesFromJson(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) throw std::invalid_argument(fmt::format("{} must be a list of matrices", where));
  std::vector<theory::Matrix> matrices;
  for (std::size_t k = 0; k < json.size(); ++k) {
    matrices.push_back(MatrixFromJson(json[k], fmt::format("{}[{}]", where, k)));
  }
  return matrices;
}

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
    trajectory[i].step = static_cast<int>(JsonInteger(steps[i], fmt::format("{}.step[{}]", where, i), 0, kMaxSteps));
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
           {{"E", MatrixToJson(p.E)},
            {"W_K", MatrixToJson(p.W_K)},
            {"W_Q", MatrixToJson(p.W_Q)},
            {"W_V", MatrixToJson(p.W_V)}}},
          {"optimizer",
           {{"first", MatricesToJson(c.state.optimizer.first)}, {"second", MatricesToJson(c.state.optimizer.second)}}},
          {"trajectory", TrajectoryToJson(c.state.trajectory)},
          {"meta", c.meta}};
}

Checkpoint CheckpointFromJson(const nlohmann::json& json, const std::string& source) {
  try {
    if (json.value("format", "") != kFormat) {
      throw std::invalid_argument(fmt::format("{}: format must be \"{}\"", source, kFormat));
    }
    const long long version = JsonInteger(json.at("version"), source + ": version", 0, 1000);
    if (version != kVersion) {
      throw std::invalid_argument(fmt::format("{}: version must be {}, got {}", source, kVersion, version));
    }
    Checkpoint c;
    TrainingState& state = c.state;
    state.optimizer.t = static_cast<int>(JsonInteger(json.at("step"), source + ": step", 0, kMaxSteps));
    theory::TransformerParams& p = state.params;
    p.decoder = theory::ParseName<theory::Decoder>(source + ": decoder", json.at("decoder").get<std::string>());
    const nlohmann::json& m = json.at("matrices");
    p.E = MatrixFromJson(m.at("E"), source + ": matrices.E");
    p.W_K = MatrixFromJson(m.at("W_K"), source + ": matrices.W_K");
    p.W_Q = MatrixFromJson(m.at("W_Q"), source + ": matrices.W_Q");
    p.W_V = MatrixFromJson(m.at("W_V"), source + ": matrices.W_V");
    p.Validate();
    const nlohmann::json& o = json.at("optimizer");
    state.optimizer.first = MatricesFromJson(o.at("first"), source + ": optimizer.first");
    state.optimizer.second = MatricesFromJson(o.at("second"), source + ": optimizer.second");
    state.trajectory = TrajectoryFromJson(json.at("trajectory"), source + ": trajectory");
    if (json.contains("meta")) c.meta = json.at("meta");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not a valid checkpoint: {}", source, e.what()));
  }
}

void WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial);
    if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", partial));
    out << ToJson(checkpoint).dump() << "\n";
    out.close();
    if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", partial));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    throw std::runtime_error(fmt::format("cannot rename '{}' to '{}'", partial, path));
  }
}

Checkpoint ReadCheckpoint(const std::string& path) {
  theory::RequireInputFile(path, "checkpoint");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseCheckpoint(text.str(), path);
}

Checkpoint ParseCheckpoint(const std::string& text, const std::string& source) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  return CheckpointFromJson(json, source);
}

}  // namespace ldaformer::sim
