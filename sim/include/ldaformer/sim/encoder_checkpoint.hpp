// Checkpoints of an encoder run (encoder_trainer.hpp) as JSON, read back bit for bit (layout in
// docs/SIMULATION.md):
//   {"format": "ldaformer-encoder-checkpoint", "version": 1, "step": 5000, "decoder": "identity", "layers": 4,
//    "matrices": {"E": {"rows": 104, "cols": 104, "data": [...]}, "input_vector": ..., "layer1.W_K": ..., ...},
//    "optimizer": {"first": [matrices], "second": [matrices]},  (Adam's moments; its clock t is "step")
//    "trajectory": {"step": [...], "objective": [...], "batch_loss": [...], "norm_E": [...],
//                   "layer1.norm_W_K": [...], ..., "layer1.W_V_rotation": [... null where not defined]},
//    "lagged_values": [{"step": 4990, "W_V": [one matrix per layer]}, ...],
//    "meta": {... free-form provenance: scenario, options, corpus ...}}
// Every slot of ForEachMatrix is written under its name, empty ones as 0 x 0.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ldaformer/sim/encoder_trainer.hpp"

namespace ldaformer::sim {

struct EncoderCheckpoint {
  EncoderTrainingState state;
  nlohmann::json meta = nlohmann::json::object();
};

nlohmann::json ToJson(const EncoderCheckpoint& checkpoint);
// Throws std::invalid_argument naming `source` and the offending field when the layout is wrong, a slot is
// missing or a shape disagrees with its data. Whether the state fits a configuration is TrainEncoder's check.
EncoderCheckpoint EncoderCheckpointFromJson(const nlohmann::json& json, const std::string& source);
// The text of a checkpoint file: JSON that does not parse is refused naming `source`, then
// EncoderCheckpointFromJson.
EncoderCheckpoint ParseEncoderCheckpoint(const std::string& text, const std::string& source);

// Through a temporary file and a rename, so that a run killed while writing leaves the previous checkpoint.
void WriteEncoderCheckpoint(const std::string& path, const EncoderCheckpoint& checkpoint);
EncoderCheckpoint ReadEncoderCheckpoint(const std::string& path);

}  // namespace ldaformer::sim
