#include "ldaformer/report/train_report.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/report/layer_figure.hpp"
#include "ldaformer/report/plots.hpp"
#include "ldaformer/sim/authors_preset.hpp"
#include "ldaformer/sim/checkpoint.hpp"

namespace ldaformer::report {

namespace {

using nlohmann::json;

json OptionsJson(const sim::TrainingSection& s) {
  const sim::TrainingOptions& o = s.options;
  json options = {
      {"preset", theory::NameOf(s.preset)},
      {"optimizer", theory::NameOf(o.optimizer.kind)},
      {"lr", o.optimizer.lr},
      {"schedule", theory::NameOf(o.optimizer.schedule)},
      {"steps", o.steps},
      {"batch", o.batch},
      {"loss", theory::NameOf(o.model.loss)},
      {"init_scale", o.init_scale},
      {"embedding", theory::NameOf(o.model.embedding)},
      {"attention", theory::NameOf(o.model.attention)},
      {"value", theory::NameOf(o.model.value)},
      {"decoder", theory::NameOf(o.model.decoder)},
      {"d", o.model.d},
      {"d_k", o.model.d_k},
      {"l2", {{"E", o.model.l2.E}, {"W_K", o.model.l2.W_K}, {"W_Q", o.model.l2.W_Q}, {"W_V", o.model.l2.W_V}}},
      {"masking", theory::NameOf(o.masking)},
      {"seed", o.seed},
      {"threads", o.threads},
      {"documents", s.documents},
      {"heldout_documents", s.heldout_documents},
      {"corpus_seed", s.corpus_seed}};
  // The encoder's switches only for its runs: a one-layer run's options (and so its checkpoints, which a resumed
  // run must match field by field) stay as they were.
  if (o.TrainsEncoder()) {
    const sim::Architecture& a = o.architecture;
    options.update({{"layers", a.layers},
                    {"heads", a.heads},
                    {"residual", a.residual},
                    {"layernorm", a.layernorm},
                    {"ffn", a.ffn},
                    {"activation", theory::NameOf(a.activation)},
                    {"output_projection", a.output_projection},
                    {"input_path", a.input_path},
                    {"init", theory::NameOf(o.initialisation)}});
  }
  // Likewise a warm-up only when there is one.
  if (o.optimizer.warmup > 0) options["warmup"] = o.optimizer.warmup;
  return options;
}

json CorpusJson(const CorpusRecord& c) {
  return {{"documents", c.documents},
          {"tokens", c.tokens},
          {"fingerprint", fmt::format("{:016x}", c.fingerprint)},
          {"file", c.file}};
}

json BucketsJson(const claims::AttentionBuckets& a) {
  auto bucket = [](const claims::AttentionBucket& b) {
    return json{{"mean", b.mean}, {"standard_error", b.standard_error}, {"pairs", b.pairs}};
  };
  return {{"applicable", a.applicable},
          {"reason", a.reason},
          {"documents", a.documents},
          {"same_token", bucket(a.same_token)},
          {"same_topic", bucket(a.same_topic)},
          {"different_topic", bucket(a.different_topic)},
          {"margin", a.margin},
          {"margin_standard_error", a.margin_standard_error},
          {"holds", a.holds}};
}

json StagesJson(const claims::StageSeparation& s) {
  return {{"applicable", s.applicable},
          {"reason", s.reason},
          {"t_V", s.t_V},
          {"t_KQ", s.t_KQ},
          {"t_KQ_half", s.t_KQ_half},
          {"t_KQ_attention", s.t_KQ_attention},
          {"margin", s.margin},
          {"v_change_after_KQ", s.v_change_after_KQ},
          {"holds", s.holds}};
}

json ValueColumnsJson(const claims::ValueColumns& columns) {
  auto similarity = [](const claims::ColumnSimilarity& s) {
    return json{{"dot_diagonal", s.dot_diagonal},
                {"dot_same_topic", s.dot_same_topic},
                {"dot_different_topic", s.dot_different_topic},
                {"cosine_same_topic", s.cosine_same_topic},
                {"cosine_different_topic", s.cosine_different_topic},
                {"nearest_same_topic", s.nearest_same_topic},
                {"words", s.words}};
  };
  return {{"raw", similarity(columns.raw)}, {"centred", similarity(columns.centred)}};
}

// The summary lines of the W^V column inspection, `what` naming the matrix.
std::string ValueColumnsText(const claims::ValueColumns& columns, const std::string& what) {
  std::string text;
  for (const auto& [name, s] :
       {std::pair<const char*, const claims::ColumnSimilarity&>{"raw", columns.raw}, {"centred", columns.centred}}) {
    text += fmt::format(
        "{} word columns ({}): dot diagonal {:.2f}, same topic {:.2f}, different topic {:.2f}; cosine same topic "
        "{:.2f}, different {:.2f}; nearest column in the same topic for {} of {} words\n",
        what, name, s.dot_diagonal, s.dot_same_topic, s.dot_different_topic, s.cosine_same_topic,
        s.cosine_different_topic, s.nearest_same_topic, s.words);
  }
  return text;
}

std::string PresetText(sim::Preset preset) {
  if (preset == sim::Preset::kNone) return "";
  std::string text = fmt::format("preset {}; not reproduced from the authors' code:\n", theory::NameOf(preset));
  for (const std::string& d : sim::AuthorsPresetDifferences(preset)) text += "  - " + d + "\n";
  return text;
}

std::string TrajectoryCsv(const sim::TrainingResult& r) {
  std::ostringstream out;
  out << "step,objective,batch_loss,norm_E,norm_W_K,norm_W_Q,norm_W_V\n";
  for (const auto& p : r.trajectory) {
    out << fmt::format("{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", p.step, p.objective, p.data_loss,
                       p.norm_E, p.norm_W_K, p.norm_W_Q, p.norm_W_V);
  }
  return out.str();
}

// What both models' training results share (sim::TrainingResult, sim::EncoderTrainingResult).
template <class Training>
double FinalBatchLoss(const Training& r) {
  return r.trajectory.empty() ? 0.0 : r.trajectory.back().data_loss;
}

// The fields of report.json that every run has: its record, termination, speed, losses, preset differences.
template <class Training>
json RunJson(const TrainRun& run, const Training& r, const sim::Evaluation& heldout) {
  json report = {{"scenario", run.scenario.Describe()},
                 {"options", OptionsJson(run.section)},
                 {"corpus", CorpusJson(run.corpus)},
                 {"heldout", {{"documents", run.heldout.documents}, {"file", run.heldout.file}}},
                 {"termination", theory::NameOf(r.termination)},
                 {"message", r.message},
                 {"steps_taken", r.steps_taken},
                 {"seconds", r.seconds},
                 {"steps_per_second", r.StepsPerSecond()},
                 {"final_batch_loss", FinalBatchLoss(r)},
                 {"heldout_loss", heldout.data_loss}};
  if (run.section.preset != sim::Preset::kNone) {
    report["differences_from_authors_code"] = sim::AuthorsPresetDifferences(run.section.preset);
  }
  return report;
}

std::string CorpusText(const TrainRun& run) {
  return fmt::format("corpus: {} documents, {} tokens ({}); held out: {} documents ({})\n", run.corpus.documents,
                     run.corpus.tokens, run.corpus.file.empty() ? "sampled" : run.corpus.file, run.heldout.documents,
                     run.heldout.file.empty() ? "sampled" : run.heldout.file);
}

template <class Training>
std::string TrainingText(const Training& r, const sim::Evaluation& heldout) {
  return fmt::format("training {}: {} ({:.1f} steps/s)\n", theory::NameOf(r.termination), r.message,
                     r.StepsPerSecond()) +
         fmt::format("loss per selected token: last minibatch {:.4f}, held out {:.4f}\n", FinalBatchLoss(r),
                     heldout.data_loss);
}

// `what` names the attention ("attention (x N)", "layer 2 attention (x N, heads averaged)").
std::string BucketsText(const claims::AttentionBuckets& b, const std::string& what) {
  return fmt::format(
      "{} on {} held-out unmasked documents: same token {:.3f}, same topic {:.3f}, different topic {:.3f}; margin "
      "{:.4f} +- {:.4f}\n",
      what, b.documents, b.same_token.mean, b.same_topic.mean, b.different_topic.mean, b.margin,
      b.margin_standard_error);
}

std::vector<std::string> WrittenMatrices(const TrainResult& result) {
  const sim::ModelConfig& model = result.run.section.options.model;
  const theory::TransformerParams& params = result.training.params;
  // Frozen matrices are I, 0 or the block matrix, known from the options; an all-zero trained matrix says
  // nothing either. On a large vocabulary each would be n^2 numbers.
  std::vector<std::string> names;
  auto keep = [&](const char* name, bool trained, const theory::Matrix& X) {
    if (trained && !X.isZero(0.0)) names.push_back(name);
  };
  keep("E", model.TrainsEmbedding(), params.E);
  keep("W_K", model.TrainsAttention(), params.W_K);
  keep("W_Q", model.TrainsAttention(), params.W_Q);
  keep("W_V", model.TrainsValue(), params.W_V);
  keep("gram", model.TrainsEmbedding(), result.gram_matrix);
  keep("scores", model.TrainsAttention() || model.TrainsEmbedding(), result.scores);
  return names;
}

void WritePlots(const std::string& dir, const TrainResult& result) {
  const theory::Scenario& scenario = result.run.scenario;
  const sim::TrainingResult& r = result.training;
  const int m = scenario.topics.disjoint_uniform ? scenario.topics.m() : 0;
  const std::vector<std::string> written = WrittenMatrices(result);
  auto heatmap = [&](const std::string& name, const theory::Matrix& X, const std::string& title, const std::string& x,
                     const std::string& y) {
    if (std::find(written.begin(), written.end(), name) == written.end()) return;  // frozen or zero: no picture
    HeatmapOptions h;
    h.csv = dir + "/" + name + ".csv";
    h.title = title;
    h.x_label = x;
    h.y_label = y;
    h.block_size = m;
    WriteHeatmapPng(dir + "/" + name + ".png", X, h);
  };
  heatmap("gram", result.gram_matrix, "trained embedding Gram matrix E^T E (words)", "word", "word");
  heatmap("W_V", r.params.W_V, "trained W^V", "column", "row");
  heatmap("scores", result.scores, "attention scores S(query, key)", "key token", "query token");
  Curve E{"||E||", {}, {}}, K{"||W^K||", {}, {}}, Q{"||W^Q||", {}, {}}, V{"||W^V||", {}, {}},
      loss{"batch loss", {}, {}};
  for (const auto& p : r.trajectory) {
    for (Curve* c : {&E, &K, &Q, &V, &loss}) c->x.push_back(p.step);
    E.y.push_back(p.norm_E);
    K.y.push_back(p.norm_W_K);
    Q.y.push_back(p.norm_W_Q);
    V.y.push_back(p.norm_W_V);
    loss.y.push_back(p.data_loss);
  }
  CurvePlotOptions norms;
  norms.title = "Frobenius norms during training";
  norms.x_label = "step";
  norms.y_label = "norm";
  norms.log_y = true;
  std::vector<Curve> norm_curves;
  for (const Curve& c : {E, K, Q, V}) {
    if (!c.y.empty() && c.y.front() > 0.0) norm_curves.push_back(c);  // a frozen zero matrix has no place on a log axis
  }
  WriteCurvesPng(dir + "/norms.png", norm_curves, norms);
  CurvePlotOptions losses;
  losses.title = "minibatch loss per selected token";
  losses.x_label = "step";
  losses.y_label = "loss";
  WriteCurvesPng(dir + "/loss.png", {loss}, losses);
}

}  // namespace

CorpusRecord CorpusRecord::Of(const theory::Corpus& corpus, std::string file) {
  return {corpus.documents.size(), static_cast<std::size_t>(corpus.TokenCount()), corpus.Fingerprint(),
          std::move(file)};
}

json ToJson(const TrainRun& run) {
  return {
      {"scenario", run.scenario.Describe()}, {"options", OptionsJson(run.section)}, {"corpus", CorpusJson(run.corpus)}};
}

json ToJson(const TrainResult& result) {
  const sim::TrainingResult& r = result.training;
  const claims::GramAverages& gram = result.gram;
  json report = RunJson(result.run, r, result.heldout);
  report.update({
      {"gram",
       {{"margin", gram.margin.value},
        {"off_diagonal_margin", gram.off_diagonal_margin.value},
        {"block", claims::ToJson(gram.block)},
        {"holds", gram.holds}}},
      {"W_V_block", claims::ToJson(result.value_block)},
      {"attention_buckets", BucketsJson(result.buckets)},
      {"trajectory", sim::TrajectoryToJson(r.trajectory)},
  });
  if (const auto& stages = result.stages) report["stages"] = StagesJson(*stages);
  if (const auto& columns = result.value_columns) report["W_V_columns"] = ValueColumnsJson(*columns);
  return report;
}

bool WriteTrainReport(const TrainResult& result, const std::string& dir) {
  const theory::TransformerParams& params = result.training.params;
  const std::map<std::string, const theory::Matrix*> matrices = {
      {"E", &params.E},     {"W_K", &params.W_K},          {"W_Q", &params.W_Q},
      {"W_V", &params.W_V}, {"gram", &result.gram_matrix}, {"scores", &result.scores}};
  for (const std::string& name : WrittenMatrices(result)) WriteMatrixCsv(dir + "/" + name + ".csv", *matrices.at(name));
  WriteFileAtomically(dir + "/trajectory.csv", TrajectoryCsv(result.training));
  WriteFileAtomically(dir + "/report.json", ToJson(result).dump(2) + "\n");
  const bool plots = GnuplotAvailable();
  if (plots) WritePlots(dir, result);
  return plots;
}

std::string FormatTrainSummary(const TrainResult& result) {
  const TrainRun& run = result.run;
  const sim::TrainingResult& r = result.training;
  std::string text = run.scenario.Describe() + "\n" + CorpusText(run);
  if (result.resumed_from >= 0) text += fmt::format("resuming from step {}\n", result.resumed_from);
  text += TrainingText(r, result.heldout);
  text += fmt::format("Gram E^T E: margin {:.4g}, off-diagonal margin {:.4g}\n", result.gram.margin.value,
                      result.gram.off_diagonal_margin.value);
  text += fmt::format("W^V block structure: margin {:.4g}, contrast {:.4g}, residual {:.3f}\n",
                      result.value_block.margin, result.value_block.contrast, result.value_block.relative_residual);
  text += BucketsText(result.buckets, "attention (x N)");
  if (const auto& stages = result.stages) {
    text += stages->applicable ? fmt::format("stages: t_V {:.0f}, t_KQ {:.0f}, log(t_KQ / t_V) {:.3f}\n", stages->t_V,
                                             stages->t_KQ, stages->margin)
                               : fmt::format("stages: not applicable ({})\n", stages->reason);
  }
  if (const auto& columns = result.value_columns) text += ValueColumnsText(*columns, "W^V");
  if (r.termination == sim::Termination::kStopped) {
    text += fmt::format("continue with the same flags and --resume {}\n", result.checkpoint_path);
  }
  text += PresetText(run.section.preset);
  text += fmt::format("written to {}/ (checkpoint.json, report.json, CSV{})\n", result.directory,
                      result.plots ? ", PNG" : "; no PNG: gnuplot not found");
  return text;
}

json ToJson(const EncoderTrainResult& result) {
  const sim::EncoderTrainingResult& r = result.training;
  json layers = json::array();
  for (std::size_t l = 0; l < result.stages.size(); ++l) {
    json layer = {{"layer", l + 1}, {"stages", StagesJson(result.stages[l])}};
    if (l < result.buckets.size()) layer["attention_buckets"] = BucketsJson(result.buckets[l]);
    if (const auto& columns = result.value_columns[l]) layer["W_V_columns"] = ValueColumnsJson(*columns);
    if (!r.trajectory.empty()) {
      const sim::LayerNorms& last = r.trajectory.back().layers[l];
      layer["final_norms"] = {{"W_K", last.W_K}, {"W_Q", last.W_Q}, {"W_V", last.W_V}};
    }
    layers.push_back(layer);
  }
  json report = RunJson(result.run, r, result.heldout);
  report.update({{"model", "encoder"},
                 {"stage_options",
                  {{"attention_level", result.stage_options.attention_level},
                   {"value_time", theory::NameOf(result.stage_options.value_time)}}},
                 {"layers", layers}});
  return report;
}

std::string EncoderTrajectoryCsv(const sim::EncoderTrainingResult& r) {
  std::ostringstream out;
  out << "step,objective,batch_loss,norm_E";
  const std::size_t layers = r.trajectory.empty() ? 0 : r.trajectory.front().layers.size();
  for (std::size_t l = 1; l <= layers; ++l) {
    for (const sim::LayerNormsColumn& c : sim::kLayerNormsColumns) out << fmt::format(",layer{}.{}", l, c.name);
  }
  out << "\n";
  for (const sim::EncoderTrajectoryPoint& p : r.trajectory) {
    out << fmt::format("{},{:.17g},{:.17g},{:.17g}", p.step, p.objective, p.data_loss, p.norm_E);
    for (const sim::LayerNorms& n : p.layers) {
      for (const sim::LayerNormsColumn& c : sim::kLayerNormsColumns) out << fmt::format(",{:.17g}", n.*c.value);
    }
    out << "\n";
  }
  return out.str();
}

bool WriteEncoderTrainReport(const EncoderTrainResult& result, const std::string& dir) {
  WriteFileAtomically(dir + "/trajectory.csv", EncoderTrajectoryCsv(result.training));
  WriteFileAtomically(dir + "/report.json", ToJson(result).dump(2) + "\n");
  if (result.training.trajectory.empty() || !GnuplotAvailable()) return false;
  const sim::Architecture& a = result.run.section.options.architecture;
  WriteLayerFigurePng(dir + "/figure5.png",
                      {{LayerFigureLabel(OptionsJson(result.run.section)), result.training.trajectory}},
                      fmt::format("{}: {} layers x {} heads", result.run.scenario.name, a.layers, a.heads));
  return true;
}

std::string FormatEncoderTrainSummary(const EncoderTrainResult& result) {
  const TrainRun& run = result.run;
  const sim::EncoderTrainingResult& r = result.training;
  const sim::Architecture& a = run.section.options.architecture;
  std::string text = run.scenario.Describe() + "\n";
  text += fmt::format("encoder: {} layers, {} heads, residual {}, layernorm {}, ffn {}, projection {}, input path {}\n",
                      a.layers, a.heads, a.residual, a.layernorm, a.ffn, a.output_projection, a.input_path);
  text += CorpusText(run);
  if (result.resumed_from >= 0) text += fmt::format("resuming from step {}\n", result.resumed_from);
  text += TrainingText(r, result.heldout);
  for (std::size_t l = 0; l < result.stages.size(); ++l) {
    const claims::StageSeparation& s = result.stages[l];
    const sim::LayerNorms& last = r.trajectory.back().layers[l];
    text +=
        fmt::format("layer {}: ||W^K|| {:.3g}, ||W^Q|| {:.3g}, ||W^V|| {:.3g}; ", l + 1, last.W_K, last.W_Q, last.W_V);
    text += s.applicable ? fmt::format("stages t_V {:.0f}, t_KQ {:.0f}, log(t_KQ / t_V) {:.3f}, {}\n", s.t_V, s.t_KQ,
                                       s.margin, s.holds ? "holds" : "does not hold (" + s.reason + ")")
                         : fmt::format("stages not applicable ({})\n", s.reason);
    if (l < result.buckets.size()) {
      text += BucketsText(result.buckets[l], fmt::format("layer {} attention (x N, heads averaged)", l + 1));
    }
    if (const auto& columns = result.value_columns[l]) {
      text += ValueColumnsText(*columns, fmt::format("layer {} W^V", l + 1));
    }
  }
  text += PresetText(run.section.preset);
  if (r.termination == sim::Termination::kStopped) {
    text += fmt::format("continue with the same flags and --resume {}\n", result.checkpoint_path);
  }
  text += fmt::format("written to {}/ (checkpoint.json, report.json, trajectory.csv{})\n", result.directory,
                      result.plots ? ", figure5.png" : "; no PNG: gnuplot not found");
  return text;
}

}  // namespace ldaformer::report
