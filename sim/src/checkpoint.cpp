#include "ldaformer/sim/checkpoint.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::sim {

namespace {

constexpr const char* kFormat = "ldaformer-checkpoint";
constexpr int kVersion = 1;

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
  const auto rows = json.at("rows").get<long>();
  const auto cols = json.at("cols").get<long>();
  const auto data = json.at("data").get<std::vector<double>>();
  if (rows < 0 || cols < 0 || data.size() != std::size_t(rows) * std::size_t(cols)) {
    throw std::invalid_argument(
        fmt::format("{}: {} entries do not fill {} rows x {} cols", where, data.size(), rows, cols));
  }
  theory::Matrix X(rows, cols);
  for (long i = 0; i < rows; ++i)
    for (long j = 0; j < cols; ++j) X(i, j) = data[std::size_t(i) * cols + j];
  return X;
}

}  // namespace

nlohmann::json ToJson(const Checkpoint& c) {
  const theory::TransformerParams& p = c.params;
  return {{"format", kFormat},
          {"version", kVersion},
          {"step", c.step},
          {"decoder", theory::ToString(p.decoder)},
          {"matrices",
           {{"E", MatrixToJson(p.E)}, {"W_K", MatrixToJson(p.W_K)}, {"W_Q", MatrixToJson(p.W_Q)},
            {"W_V", MatrixToJson(p.W_V)}}},
          {"meta", c.meta}};
}

Checkpoint CheckpointFromJson(const nlohmann::json& json, const std::string& source) {
  try {
    if (json.value("format", "") != kFormat) {
      throw std::invalid_argument(fmt::format("{}: format must be \"{}\"", source, kFormat));
    }
    const int version = json.at("version").get<int>();
    if (version != kVersion) {
      throw std::invalid_argument(fmt::format("{}: version must be {}, got {}", source, kVersion, version));
    }
    Checkpoint c;
    c.step = json.at("step").get<int>();
    const std::string decoder = json.at("decoder").get<std::string>();
    if (decoder != "identity" && decoder != "tied") {
      throw std::invalid_argument(fmt::format("{}: decoder must be identity or tied, got '{}'", source, decoder));
    }
    c.params.decoder = decoder == "identity" ? theory::Decoder::kIdentity : theory::Decoder::kTied;
    const nlohmann::json& m = json.at("matrices");
    c.params.E = MatrixFromJson(m.at("E"), source + ": matrices.E");
    c.params.W_K = MatrixFromJson(m.at("W_K"), source + ": matrices.W_K");
    c.params.W_Q = MatrixFromJson(m.at("W_Q"), source + ": matrices.W_Q");
    c.params.W_V = MatrixFromJson(m.at("W_V"), source + ": matrices.W_V");
    c.params.Validate();
    if (json.contains("meta")) c.meta = json.at("meta");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not a valid checkpoint: {}", source, e.what()));
  }
}

void WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", path));
  out << ToJson(checkpoint).dump() << "\n";
  if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", path));
}

Checkpoint ReadCheckpoint(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("checkpoint: cannot read file '{}'", path));
  nlohmann::json json;
  try {
    in >> json;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  return CheckpointFromJson(json, path);
}

}  // namespace ldaformer::sim
