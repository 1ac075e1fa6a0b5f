// Checkpoints of a training run as JSON (layout in docs/SIMULATION.md): the matrices, the steps taken,
// the optimizer's state and the trajectory so far, so that training continues from a checkpoint bit for
// bit as if it had not stopped.
//   {"format": "ldaformer-checkpoint", "version": 2, "step": 1000, "decoder": "identity",
//    "matrices": {"E": {"rows": 101, "cols": 101, "data": [row-major entries]}, "W_K": ..., "W_Q": ...,
//                 "W_V": ...},
//    "optimizer": {"first": [matrices], "second": [matrices]},  (Adam's moments; its clock t is "step")
//    "trajectory": {"step": [...], "objective": [...], "batch_loss": [...], "norm_E": [...], ...},
//    "meta": {... free-form provenance: scenario, options, corpus ...}}
// Numbers are written with 17 significant digits, so a checkpoint reads back bit for bit.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/sim/trainer.hpp"

namespace ldaformer::sim {

struct Checkpoint {
  TrainingState state;
  nlohmann::json meta = nlohmann::json::object();
};

nlohmann::json ToJson(const Checkpoint& checkpoint);
// Throws std::invalid_argument naming `source` and the offending field when the layout is wrong, a
// shape disagrees with its data, or the matrices do not fit together (TransformerParams::Validate).
Checkpoint CheckpointFromJson(const nlohmann::json& json, const std::string& source);
// The text of a checkpoint file: JSON that does not parse (or a number out of double range) is refused
// as std::invalid_argument naming `source`, then CheckpointFromJson.
Checkpoint ParseCheckpoint(const std::string& text, const std::string& source);

// The trajectory as columns: {"step": [...], "objective": [...], "batch_loss": [...], "norm_E": [...],
// "norm_W_K": [...], "norm_W_Q": [...], "norm_W_V": [...]}.
nlohmann::json TrajectoryToJson(const std::vector<TrajectoryPoint>& trajectory);

// Writes to a temporary file beside `path` and renames it, so that a run killed while writing leaves
// the previous checkpoint intact.
void WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint);
Checkpoint ReadCheckpoint(const std::string& path);

}  // namespace ldaformer::sim
