// What both checkpoint formats (checkpoint.cpp, encoder_checkpoint.cpp) share: range-checked integers,
// matrices as {"rows", "cols", "data"}, the file written through a rename and read back with the errors
// naming the file.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/sim/optimizer.hpp"
#include "ldaformer/theory/types.hpp"

namespace ldaformer::sim::checkpoint_json {

// An integer of the JSON in lo..hi, range-checked before any conversion: nlohmann's own get<int>() on 5e20
// or on a value outside int is undefined behaviour. Throws std::invalid_argument naming `where`.
long long Integer(const nlohmann::json& json, const std::string& where, long long lo, long long hi);

// Row-major entries with 17 significant digits (nlohmann's default), so they read back bit for bit.
nlohmann::json FromMatrix(const theory::Matrix& X);
// Throws naming `where` when the object lacks a field, a side is out of range or the data does not fill it.
theory::Matrix ToMatrix(const nlohmann::json& json, const std::string& where);
nlohmann::json FromMatrices(const std::vector<theory::Matrix>& matrices);
std::vector<theory::Matrix> ToMatrices(const nlohmann::json& json, const std::string& where);

// The header both formats open with: {"format": format, "version": version, "step": t, ...}. Throws naming
// `source` unless the format and version are these; returns the step (the optimizer's clock t).
int RequireHeader(const nlohmann::json& json, const std::string& source, const char* format, int version);

// {"first": [matrices], "second": [matrices]}: Adam's moments (empty for SGD); the clock is the header's step.
nlohmann::json FromMoments(const OptimizerState& state);
OptimizerState ToMoments(const nlohmann::json& json, const std::string& source, int step);

// A list of numbers in which NaN (a value not defined at that point) is written as null and read back.
nlohmann::json FromNumbers(const std::vector<double>& values);
std::vector<double> ToNumbers(const nlohmann::json& json, const std::string& where);

// Writes `json` to a temporary file beside `path` and renames it, so that a run killed while writing leaves
// the previous file intact.
void WriteAtomically(const std::string& path, const nlohmann::json& json);
// The JSON in `text`; what does not parse (or a number out of double range) throws naming `source`.
nlohmann::json Parse(const std::string& text, const std::string& source);
// The JSON in file `path` (which must exist and be a regular file; `what` names it in the error).
nlohmann::json ReadFile(const std::string& path, const std::string& what);

}  // namespace ldaformer::sim::checkpoint_json
