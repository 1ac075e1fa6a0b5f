// A sweep's directory: the plan it was started with, one file per finished point (written atomically, so
// a sweep killed at any moment loses at most the points that were running), and the results gathered from
// them: results.csv, results.json, boundaries.csv and the plots.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ldaformer/sweep/sweep_plan.hpp"

namespace ldaformer::report {

// The directory of one sweep.
class SweepStore {
 public:
  explicit SweepStore(std::string directory);

  // True when the directory already holds a sweep (its sweep.json).
  bool Exists() const;
  // Creates the directory and records `plan` (what --resume compares against). Throws std::runtime_error
  // naming --out when the directory cannot be made or written.
  void Create(const nlohmann::json& plan) const;
  // The plan recorded by Create. Throws std::invalid_argument naming --out when there is none.
  nlohmann::json Plan() const;
  // Stores one finished point as points/NNNNNN.json (written whole or not at all).
  void Save(const sweep::SweepRecord& record, const std::vector<std::string>& paths) const;
  // Every stored point. Throws std::invalid_argument naming the file of a malformed one.
  std::vector<sweep::SweepRecord> Load(const std::vector<std::string>& paths) const;

  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

// The plan as sweep.json records it: varied paths and values, refinement, base seed, claims, the base
// scenario (its YAML with every --set applied) and the command line.
nlohmann::json SweepPlanJson(const sweep::SweepPlan& plan, const std::vector<std::string>& claims,
                             const std::string& base_yaml, const std::vector<std::string>& command);

nlohmann::json ToJson(const sweep::SweepRecord& record, const std::vector<std::string>& paths);
sweep::SweepRecord SweepRecordFromJson(const nlohmann::json& j, const std::vector<std::string>& paths,
                                       const std::string& source);

// One row per point and claim result, in plan.Ordered() order: the varied values, claim, family,
// margin, stderr, status, reason, inside_hypotheses, seed, round, seconds.
std::string SweepResultsCsv(const sweep::SweepPlan& plan, const std::vector<sweep::SweepRecord>& records);
// One row per sign change (sweep::FindBoundaries).
std::string SweepBoundariesCsv(const sweep::SweepPlan& plan, const std::vector<sweep::Boundary>& boundaries);

// Writes results.csv, results.json (plan, every record, boundaries) and boundaries.csv into the store's
// directory, each atomically; then, when `plots` and gnuplot is there, one PNG per claim family: margin
// against the varied value (one path) or a map per claim result (two). Returns the PNGs written.
std::vector<std::string> WriteSweepResults(const SweepStore& store, const sweep::SweepPlan& plan,
                                           const nlohmann::json& plan_json,
                                           const std::vector<sweep::SweepRecord>& records, bool plots);

}  // namespace ldaformer::report
