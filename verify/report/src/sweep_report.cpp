#include "ldaformer/report/sweep_report.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/report/plots.hpp"
#include "ldaformer/report/version.hpp"
#include "report_fields.hpp"

namespace ldaformer::report {

namespace fs = std::filesystem;
using nlohmann::json;
using sweep::SweepRecord;

namespace {

double NumberOrNan(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

json ReadJsonFile(const fs::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot read '{}'", what, path.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::invalid_argument(fmt::format("{}: '{}' is not valid JSON ({})", what, path.string(), e.what()));
  }
}

}  // namespace

SweepStore::SweepStore(std::string directory) : directory_(std::move(directory)) {}

bool SweepStore::Exists() const { return fs::exists(fs::path(directory_) / "sweep.json"); }

void SweepStore::Create(const json& plan) const {
  std::error_code error;
  fs::create_directories(fs::path(directory_) / "points", error);
  if (error) {
    throw std::runtime_error(fmt::format("--out: cannot create directory '{}': {}", directory_, error.message()));
  }
  WriteFileAtomically((fs::path(directory_) / "sweep.json").string(), plan.dump(2) + "\n");
}

json SweepStore::Plan() const {
  const fs::path path = fs::path(directory_) / "sweep.json";
  if (!fs::exists(path)) {
    throw std::invalid_argument(fmt::format("--resume: '{}' holds no sweep (no sweep.json)", directory_));
  }
  return ReadJsonFile(path, "--resume");
}

void SweepStore::Save(const SweepRecord& record, const std::vector<std::string>& paths) const {
  const fs::path path = fs::path(directory_) / "points" / fmt::format("{:06d}.json", record.point.index);
  WriteFileAtomically(path.string(), ToJson(record, paths).dump(1) + "\n");
}

std::vector<SweepRecord> SweepStore::Load(const std::vector<std::string>& paths) const {
  std::vector<SweepRecord> out;
  const fs::path dir = fs::path(directory_) / "points";
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    // A temporary file left by a killed write is not a point.
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    out.push_back(SweepRecordFromJson(ReadJsonFile(file, "--resume"), paths, file.string()));
  }
  return out;
}

json SweepPlanJson(const sweep::SweepPlan& plan, const std::vector<std::string>& claims, const std::string& base_yaml,
                   const std::vector<std::string>& command) {
  json varied = json::array();
  for (const sweep::VariedPath& v : plan.varied) {
    varied.push_back(
        {{"path", v.path}, {"spec", v.spec}, {"spacing", theory::NameOf(v.spacing)}, {"values", v.values}});
  }
  return {{"varied", varied},           {"refine", plan.refine}, {"base_seed", plan.base_seed}, {"claims", claims},
          {"base_scenario", base_yaml}, {"command", command},    {"version", ProgramVersion()}};
}

json ToJson(const SweepRecord& record, const std::vector<std::string>& paths) {
  json values = json::object();
  for (size_t p = 0; p < paths.size(); ++p) values[paths[p]] = record.point.values[p];
  json rows = json::array();
  for (const sweep::ClaimRow& row : record.rows) {
    rows.push_back({{"id", row.id},
                    {"claim", row.claim},
                    {"margin", JsonNumber(row.margin)},
                    {"standard_error", JsonNumber(row.standard_error)},
                    {"status", row.status},
                    {"reason", row.reason},
                    {"inside_hypotheses", row.inside_hypotheses}});
  }
  return {{"index", record.point.index}, {"round", record.point.round}, {"values", values},
          {"seed", record.point.seed},   {"seconds", record.seconds},   {"rows", rows}};
}

SweepRecord SweepRecordFromJson(const json& j, const std::vector<std::string>& paths, const std::string& source) {
  SweepRecord r;
  try {
    r.point.index = j.at("index").get<int>();
    r.point.round = j.at("round").get<int>();
    r.point.seed = j.at("seed").get<std::uint64_t>();
    for (const std::string& path : paths) r.point.values.push_back(j.at("values").at(path).get<std::string>());
    if (j.at("values").size() != paths.size()) throw std::invalid_argument("values of other paths");
    r.seconds = j.at("seconds").get<double>();
    for (const json& row : j.at("rows")) {
      r.rows.push_back({row.at("id").get<std::string>(), row.at("claim").get<std::string>(),
                        NumberOrNan(row.at("margin")), NumberOrNan(row.at("standard_error")),
                        row.at("status").get<std::string>(), row.at("reason").get<std::string>(),
                        row.at("inside_hypotheses").get<bool>()});
    }
  } catch (const std::exception& e) {
    throw std::invalid_argument(fmt::format("--resume: '{}' is not a point of this sweep ({})", source, e.what()));
  }
  return r;
}

std::string SweepResultsCsv(const sweep::SweepPlan& plan, const std::vector<SweepRecord>& records) {
  std::ostringstream csv;
  for (const std::string& path : plan.Paths()) csv << CsvField(path) << ",";
  csv << "claim,family,margin,stderr,status,reason,inside_hypotheses,seed,round,seconds\n";
  for (const SweepRecord& r : plan.Ordered(records)) {
    for (const sweep::ClaimRow& row : r.rows) {
      for (const std::string& value : r.point.values) csv << CsvField(value) << ",";
      csv << CsvField(row.id) << "," << CsvField(row.claim) << "," << CsvNumber(row.margin) << ","
          << CsvNumber(row.standard_error) << "," << CsvField(row.status) << "," << CsvField(row.reason) << ","
          << (row.inside_hypotheses ? "true" : "false") << "," << r.point.seed << "," << r.point.round << ","
          << fmt::format("{:.3f}", r.seconds) << "\n";
    }
  }
  return csv.str();
}

std::string SweepBoundariesCsv(const sweep::SweepPlan& plan, const std::vector<sweep::Boundary>& boundaries) {
  (void)plan;
  std::ostringstream csv;
  csv << "claim,change,path,other_path,other_value,low,high,margin_low,margin_high,stderr_low,stderr_high,location,"
         "resolved,round\n";
  for (const sweep::Boundary& b : boundaries) {
    csv << CsvField(b.id) << "," << theory::NameOf(b.change) << "," << CsvField(b.path) << "," << CsvField(b.other_path)
        << "," << CsvField(b.other_value) << "," << CsvNumber(b.low) << "," << CsvNumber(b.high) << ","
        << CsvNumber(b.margin_low) << "," << CsvNumber(b.margin_high) << "," << CsvNumber(b.standard_error_low) << ","
        << CsvNumber(b.standard_error_high) << "," << CsvNumber(b.location) << "," << (b.resolved ? "true" : "false")
        << "," << b.round << "\n";
  }
  return csv.str();
}

namespace {

json BoundariesJson(const std::vector<sweep::Boundary>& boundaries) {
  json out = json::array();
  for (const sweep::Boundary& b : boundaries) {
    out.push_back({{"claim", b.id},
                   {"change", theory::NameOf(b.change)},
                   {"path", b.path},
                   {"other_path", b.other_path},
                   {"other_value", b.other_value},
                   {"low", b.low},
                   {"high", b.high},
                   {"margin_low", b.margin_low},
                   {"margin_high", b.margin_high},
                   {"stderr_low", JsonNumber(b.standard_error_low)},
                   {"stderr_high", JsonNumber(b.standard_error_high)},
                   {"location", b.location},
                   {"resolved", b.resolved},
                   {"round", b.round}});
  }
  return out;
}

// One PNG per claim family: each of its results' margins against the one varied path.
std::vector<std::string> MarginPlots(const std::string& dir, const sweep::SweepPlan& plan,
                                     const std::vector<SweepRecord>& ordered) {
  const sweep::VariedPath& path = plan.varied[0];
  std::vector<std::string> families;
  std::map<std::string, std::vector<MarginCurve>> curves;
  for (const SweepRecord& r : ordered) {
    for (const sweep::ClaimRow& row : r.rows) {
      if (row.status == "error" || row.status == "invalid") continue;
      if (!curves.count(row.claim)) families.push_back(row.claim);
      std::vector<MarginCurve>& family = curves[row.claim];
      auto curve = std::find_if(family.begin(), family.end(), [&](const MarginCurve& c) { return c.name == row.id; });
      if (curve == family.end()) curve = family.insert(family.end(), MarginCurve{row.id, {}, {}, {}});
      const auto position = std::find(path.values.begin(), path.values.end(), r.point.values[0]) - path.values.begin();
      curve->x.push_back(path.Numeric() ? std::stod(r.point.values[0]) : static_cast<double>(position));
      curve->y.push_back(row.margin);
      curve->error.push_back(row.standard_error);
    }
  }
  std::vector<std::string> out;
  for (const std::string& family : families) {
    const std::string png = (fs::path(dir) / fmt::format("margin-{}.png", family)).string();
    MarginPlotOptions options;
    options.title = fmt::format("{}: margin against {} (error bars: 1 s.e.; > 0 holds)", family, path.path);
    options.x_label = path.path;
    options.log_x = path.spacing == sweep::Spacing::kLog;
    if (!path.Numeric()) options.x_tick_labels = path.values;
    WriteMarginCurvesPng(png, curves[family], options);
    out.push_back(png);
  }
  return out;
}

// One map per claim result over the grid (refinement points are not cells of it).
std::vector<std::string> MarginMaps(const std::string& dir, const sweep::SweepPlan& plan,
                                    const std::vector<SweepRecord>& records) {
  const sweep::VariedPath& x = plan.varied[0];
  const sweep::VariedPath& y = plan.varied[1];
  std::vector<std::string> ids;
  std::map<std::string, theory::Matrix> maps;
  for (const SweepRecord& r : records) {
    if (r.point.round != 0) continue;
    const auto j = std::find(x.values.begin(), x.values.end(), r.point.values[0]) - x.values.begin();
    const auto i = std::find(y.values.begin(), y.values.end(), r.point.values[1]) - y.values.begin();
    for (const sweep::ClaimRow& row : r.rows) {
      if (row.status == "error" || row.status == "invalid") continue;
      if (!maps.count(row.id)) {
        ids.push_back(row.id);
        maps[row.id] = theory::Matrix::Constant(static_cast<Eigen::Index>(y.values.size()),
                                                static_cast<Eigen::Index>(x.values.size()), std::nan(""));
      }
      maps[row.id](i, j) = row.margin;
    }
  }
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    const std::string png = (fs::path(dir) / fmt::format("map-{}.png", id)).string();
    GridMapOptions options;
    options.title = fmt::format("{}: margin over {} x {} (black: margin = 0)", id, x.path, y.path);
    options.x_label = x.path;
    options.y_label = y.path;
    WriteGridMapPng(png, x.values, y.values, maps[id], options);
    out.push_back(png);
  }
  return out;
}

}  // namespace

std::vector<std::string> WriteSweepResults(const SweepStore& store, const sweep::SweepPlan& plan, const json& plan_json,
                                           const std::vector<SweepRecord>& records, bool plots) {
  const std::vector<SweepRecord> ordered = plan.Ordered(records);
  const std::vector<sweep::Boundary> boundaries = sweep::FindBoundaries(plan, ordered);
  const fs::path dir(store.directory());
  json points = json::array();
  for (const SweepRecord& r : ordered) points.push_back(ToJson(r, plan.Paths()));
  const json results = {{"plan", plan_json}, {"points", points}, {"boundaries", BoundariesJson(boundaries)}};
  WriteFileAtomically((dir / "results.json").string(), results.dump(2) + "\n");
  WriteFileAtomically((dir / "boundaries.csv").string(), SweepBoundariesCsv(plan, boundaries));
  WriteFileAtomically((dir / "results.csv").string(), SweepResultsCsv(plan, ordered));
  if (!plots || !GnuplotAvailable() || ordered.empty()) return {};
  if (plan.varied.size() == 1) {
    return MarginPlots(store.directory(), plan, ordered);
  }
  return MarginMaps(store.directory(), plan, ordered);
}

}  // namespace ldaformer::report
