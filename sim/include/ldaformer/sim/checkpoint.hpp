// Checkpoints of the learned matrices as JSON (layout in docs/SIMULATION.md):
//   {"format": "ldaformer-checkpoint", "version": 1, "step": 1000, "decoder": "identity",
//    "matrices": {"E": {"rows": 101, "cols": 101, "data": [row-major entries]}, "W_K": ..., "W_Q": ...,
//                 "W_V": ...},
//    "meta": {... free-form provenance: scenario, options ...}}
// Numbers are written with 17 significant digits, so a checkpoint reads back bit for bit.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ldaformer/theory/transformer.hpp"

namespace ldaformer::sim {

struct Checkpoint {
  theory::TransformerParams params;
  int step = 0;
  nlohmann::json meta = nlohmann::json::object();
};

nlohmann::json ToJson(const Checkpoint& checkpoint);
// Throws std::invalid_argument naming `source` and the offending field when the layout is wrong, a
// shape disagrees with its data, or the matrices do not fit together (TransformerParams::Validate).
Checkpoint CheckpointFromJson(const nlohmann::json& json, const std::string& source);

void WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint);
Checkpoint ReadCheckpoint(const std::string& path);

}  // namespace ldaformer::sim
