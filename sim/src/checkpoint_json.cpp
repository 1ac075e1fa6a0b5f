#include "checkpoint_json.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/theory/input_file.hpp"
#include "ldaformer/theory/integer_field.hpp"

namespace ldaformer::sim::checkpoint_json {

long long Integer(const nlohmann::json& json, const std::string& where, long long lo, long long hi) {
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

nlohmann::json FromMatrix(const theory::Matrix& X) {
  std::vector<double> data;
  data.reserve(X.size());
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j) data.push_back(X(i, j));
  return {{"rows", X.rows()}, {"cols", X.cols()}, {"data", data}};
}

theory::Matrix ToMatrix(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object() || !json.contains("rows") || !json.contains("cols") || !json.contains("data")) {
    throw std::invalid_argument(fmt::format("{} must be an object with rows, cols and data", where));
  }
  // No matrix of either model is wider than the largest token space (the encoder's feed-forward width is
  // at most 65536).
  constexpr long long kMaxSide = theory::kMaxVocabulary + theory::kMaxSpecialTokens;
  const long long rows = Integer(json.at("rows"), where + ".rows", 0, kMaxSide);
  const long long cols = Integer(json.at("cols"), where + ".cols", 0, kMaxSide);
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

nlohmann::json FromMatrices(const std::vector<theory::Matrix>& matrices) {
  nlohmann::json list = nlohmann::json::array();
  for (const theory::Matrix& X : matrices) list.push_back(FromMatrix(X));
  return list;
}

std::vector<theory::Matrix> ToMatrices(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) throw std::invalid_argument(fmt::format("{} must be a list of matrices", where));
  std::vector<theory::Matrix> matrices;
  for (std::size_t k = 0; k < json.size(); ++k) matrices.push_back(ToMatrix(json[k], fmt::format("{}[{}]", where, k)));
  return matrices;
}

int RequireHeader(const nlohmann::json& json, const std::string& source, const char* format, int version) {
  if (!json.is_object() || json.value("format", "") != format) {
    throw std::invalid_argument(fmt::format("{}: format must be \"{}\"", source, format));
  }
  const long long found = Integer(json.at("version"), source + ": version", 0, 1000);
  if (found != version) {
    throw std::invalid_argument(fmt::format("{}: version must be {}, got {}", source, version, found));
  }
  return static_cast<int>(Integer(json.at("step"), source + ": step", 0, std::numeric_limits<int>::max()));
}

nlohmann::json FromMoments(const OptimizerState& state) {
  return {{"first", FromMatrices(state.first)}, {"second", FromMatrices(state.second)}};
}

OptimizerState ToMoments(const nlohmann::json& json, const std::string& source, int step) {
  OptimizerState state;
  state.t = step;
  state.first = ToMatrices(json.at("first"), source + ": optimizer.first");
  state.second = ToMatrices(json.at("second"), source + ": optimizer.second");
  return state;
}

nlohmann::json FromNumbers(const std::vector<double>& values) {
  nlohmann::json list = nlohmann::json::array();
  for (double x : values) list.push_back(std::isnan(x) ? nlohmann::json() : nlohmann::json(x));
  return list;
}

std::vector<double> ToNumbers(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) throw std::invalid_argument(fmt::format("{} must be a list of numbers", where));
  std::vector<double> values;
  values.reserve(json.size());
  for (std::size_t k = 0; k < json.size(); ++k) {
    if (json[k].is_null()) {
      values.push_back(std::numeric_limits<double>::quiet_NaN());
    } else if (json[k].is_number()) {
      values.push_back(json[k].get<double>());
    } else {
      throw std::invalid_argument(fmt::format("{}[{}] must be a number or null, got {}", where, k, json[k].dump()));
    }
  }
  return values;
}

void WriteAtomically(const std::string& path, const nlohmann::json& json) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial);
    if (!out) throw std::runtime_error(fmt::format("cannot write file '{}'", partial));
    out << json.dump() << "\n";
    out.close();
    if (!out) throw std::runtime_error(fmt::format("write to '{}' failed", partial));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    throw std::runtime_error(fmt::format("cannot rename '{}' to '{}'", partial, path));
  }
}

nlohmann::json Parse(const std::string& text, const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
}

nlohmann::json ReadFile(const std::string& path, const std::string& what) {
  theory::RequireInputFile(path, what);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

}  // namespace ldaformer::sim::checkpoint_json
