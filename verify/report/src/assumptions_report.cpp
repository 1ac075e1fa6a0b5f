#include "ldaformer/report/assumptions_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "ldaformer/report/atomic_file.hpp"
#include "ldaformer/report/plots.hpp"

namespace ldaformer::report {

using theory::Matrix;

std::vector<int> WordsByTopic(const assumptions::AssumptionReport& report, const Matrix& beta, int per_topic) {
  std::vector<int> order;
  for (int t = 0; t < report.T; ++t) {
    std::vector<int> words;
    for (int w = 0; w < report.v; ++w) {
      if (report.word_topic[w] == t) words.push_back(w);
    }
    std::stable_sort(words.begin(), words.end(), [&](int a, int b) { return beta(t, a) > beta(t, b); });
    if (per_topic > 0 && static_cast<int>(words.size()) > per_topic) words.resize(per_topic);
    order.insert(order.end(), words.begin(), words.end());
  }
  return order;
}

nlohmann::json ToJson(const AssumptionsResult& result) {
  const assumptions::AssumptionReport& r = result.report;
  nlohmann::json verdicts = nlohmann::json::array();
  for (const assumptions::AssumptionVerdict& verdict : r.verdicts) {
    verdicts.push_back({{"name", verdict.name},
                        {"value", verdict.value},
                        {"holds", verdict.holds},
                        {"criterion", verdict.criterion},
                        {"detail", verdict.detail}});
  }
  std::vector<int> histogram(r.T + 1, 0);
  for (const int k : r.topics_above) ++histogram[k];
  auto as_vector = [](const theory::Vector& x) { return std::vector<double>(x.data(), x.data() + x.size()); };
  nlohmann::json value_optimum = nullptr;
  if (result.value_optimum) {
    const assumptions::CorpusValueOptimum& o = *result.value_optimum;
    value_optimum = {{"relative_lambda", o.relative_lambda}, {"lambda", o.lambda}, {"block", claims::ToJson(o.block)}};
  }
  nlohmann::json trained_value = nullptr;
  if (result.trained_value) {
    const assumptions::TrainedValue& t = *result.trained_value;
    const assumptions::ValueTraining& s = t.training;
    nlohmann::json steps = nlohmann::json::array(), losses = nlohmann::json::array();
    for (const sim::TrajectoryPoint& point : t.trajectory) {
      steps.push_back(point.step);
      losses.push_back(point.data_loss);
    }
    trained_value = {{"loss", theory::NameOf(s.loss)},
                     {"optimizer", theory::NameOf(s.optimizer.kind)},
                     {"lr", s.optimizer.lr},
                     {"schedule", theory::NameOf(s.optimizer.schedule)},
                     {"steps", s.steps},
                     {"batch", s.batch},
                     {"relative_lambda", s.relative_lambda},
                     {"lambda", t.lambda},
                     {"masking", theory::NameOf(s.masking)},
                     {"init_scale", s.init_scale},
                     {"seed", s.seed},
                     {"termination", theory::NameOf(t.termination)},
                     {"message", t.message},
                     {"seconds", t.seconds},
                     {"final_minibatch_loss", t.final_loss},
                     {"last_fifth_drop", t.last_fifth_drop},
                     {"block", claims::ToJson(t.block)},
                     {"curve", {{"step", steps}, {"minibatch_loss", losses}}}};
    if (t.optimum) {
      trained_value["optimum"] = {{"relative_distance", t.optimum->relative_distance},
                                  {"cosine", t.optimum->cosine},
                                  {"excess_objective", t.optimum->excess_objective},
                                  {"decrease_achieved", t.optimum->decrease_achieved}};
    }
  }
  return {
      {"source", r.source},
      {"v", r.v},
      {"T", r.T},
      {"documents", r.documents},
      {"tokens", r.tokens},
      {"verdicts", verdicts},
      {"disjointness",
       {{"mean_top_topic_share", r.mean_top_topic_share}, {"mass_above_threshold", r.share_of_words_above}}},
      {"uniformity",
       {{"mean", r.mean_uniformity},
        {"per_topic", as_vector(r.topic_uniformity)},
        {"support_mass", as_vector(r.topic_support_mass)}}},
      {"topics_per_document",
       {{"mean_exp_entropy", r.mean_effective_topics},
        {"mean_above_mass", r.mean_topics_above},
        {"histogram_above_mass", histogram}}},
      {"dirichlet",
       {{"alpha", as_vector(r.dirichlet.alpha)},
        {"alpha0", r.dirichlet.Alpha0()},
        {"converged", r.dirichlet.converged},
        {"symmetric_alpha", r.symmetric_dirichlet.alpha[0]},
        {"second_moment_error", r.dirichlet_moment_error},
        {"gibbs_alpha", as_vector(result.fit.alpha)}}},
      {"lengths",
       {{"mean", r.mean_length},
        {"sd", r.sd_length},
        {"min", r.min_length},
        {"max", r.max_length},
        {"max_abs_correlation_with_theta", r.max_length_correlation}}},
      {"cooccurrence",
       {{"relative_error", r.cooccurrence_error},
        {"noise_floor", r.cooccurrence_noise},
        {"contrast", r.empirical_contrast},
        {"model_contrast", r.model_contrast}}},
      {"wv_optimum", value_optimum},
      {"wv_trained", trained_value},
      {"gibbs_log_joint_last", result.fit.log_joint.empty() ? 0.0 : result.fit.log_joint.back()},
      {"files", result.files},
  };
}

void WriteAssumptionsReport(AssumptionsResult& result, const AssumptionsPlotOptions& options,
                            const std::string& directory) {
  namespace fs = std::filesystem;
  const fs::path dir(directory);
  fs::create_directories(dir);
  auto path = [&](const std::string& name) {
    result.files.push_back((dir / name).string());
    return result.files.back();
  };
  const assumptions::AssumptionReport& report = result.report;
  WriteMatrixCsv(path("topics.csv"), result.fit.beta);
  WriteMatrixCsv(path("theta.csv"), result.fit.theta);
  if (!result.vocabulary.empty()) {
    theory::WriteCorpus(path("corpus.txt"), result.corpus);
    assumptions::WriteVocabulary(path("vocabulary.txt"), result.vocabulary);
    std::ofstream top(path("top_words.txt"));
    for (int t = 0; t < report.T; ++t) {
      std::vector<int> words(report.v);
      std::iota(words.begin(), words.end(), 0);
      std::partial_sort(words.begin(), words.begin() + std::min(12, report.v), words.end(),
                        [&](int a, int b) { return result.fit.beta(t, a) > result.fit.beta(t, b); });
      top << fmt::format("topic {:>2} (prevalence {:.3f}):", t, result.fit.theta.col(t).mean());
      for (int i = 0; i < std::min(12, report.v); ++i) top << " " << result.vocabulary[words[i]];
      top << "\n";
    }
  }
  const std::string json_path = path("assumptions.json");
  WriteFileAtomically(json_path, ToJson(result).dump(2) + "\n");
  if (!GnuplotAvailable()) return;
  std::vector<double> above(report.topics_above.begin(), report.topics_above.end());
  HistogramOptions histogram;
  histogram.title = fmt::format("Topics per document with theta > {:g} ({})", options.topic_mass, report.source);
  histogram.x_label = "number of topics";
  histogram.y_label = "documents";
  WriteHistogramPng(path("topics_per_document.png"), above, histogram);

  // Words sorted by topic (the top plot_words_per_topic of each when v is large); grid lines outline the
  // topics when every topic shows the same number of words.
  const int per_topic = report.v > 300 ? options.words_per_topic : 0;
  const std::vector<int> order = WordsByTopic(report, result.fit.beta, per_topic);
  const int n = static_cast<int>(order.size());
  std::vector<int> shown(report.T, 0);
  for (const int w : order) ++shown[report.word_topic[w]];
  const bool equal = std::all_of(shown.begin(), shown.end(), [&](int s) { return s == shown.front(); });
  auto sorted_heatmap = [&](const std::string& name, const std::string& title, auto entry) {
    Matrix sorted(n, n);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) sorted(i, j) = entry(order[i], order[j]);
    }
    HeatmapOptions heatmap;
    heatmap.title = fmt::format("{}, words sorted by topic{} ({})", title,
                                per_topic ? fmt::format(" (top {} per topic)", per_topic) : "", report.source);
    heatmap.x_label = "word";
    heatmap.y_label = "word";
    heatmap.block_size = equal ? shown.front() : 0;
    WriteHeatmapPng(path(name), sorted, heatmap);
  };
  // log2 of the co-occurrence lift P2_hat(w, w') / (P(w) P(w')): red blocks on the diagonal are the block
  // structure the theory assumes.
  sorted_heatmap("cooccurrence.png", "log2 co-occurrence lift", [&](int w, int u) {
    const double expected = report.word_frequency[w] * report.word_frequency[u];
    const double ratio = expected > 0.0 ? report.empirical_p2(w, u) / expected : 1.0;
    return std::clamp(std::log2(std::max(ratio, 1e-300)), -4.0, 4.0);
  });
  if (result.value_optimum) {
    const assumptions::CorpusValueOptimum& optimum = *result.value_optimum;
    sorted_heatmap("wv_optimum.png",
                   fmt::format("exact T2 optimum W^V (lambda = {:.3g} tr C / n), not trained", optimum.relative_lambda),
                   [&](int w, int u) { return optimum.W(w, u); });
  }
  if (result.trained_value) {
    const assumptions::TrainedValue& trained = *result.trained_value;
    sorted_heatmap("wv_trained.png",
                   fmt::format("trained W^V ({}, {}, lambda = {:.3g} tr C / n)", theory::NameOf(trained.training.loss),
                               theory::NameOf(trained.training.optimizer.kind), trained.training.relative_lambda),
                   [&](int w, int u) { return trained.W(w, u); });
    claims::Curve loss{"minibatch loss", {}, {}};
    for (const sim::TrajectoryPoint& point : trained.trajectory) {
      loss.x.push_back(point.step);
      loss.y.push_back(point.data_loss);
    }
    claims::CurvePlotOptions curve;
    curve.title = fmt::format("training W^V: minibatch loss per selected token ({})", report.source);
    curve.x_label = "step";
    curve.y_label = "loss";
    WriteCurvesPng(path("wv_trained_loss.png"), {loss}, curve);
  }
}

namespace {

// The means, margins, residual and shares of W^V by the word topics: one format for the optimum and the
// trained matrix, so the two read side by side.
std::string FormatBlockLines(const claims::BlockStructure& b) {
  return fmt::format(
      "  means by LDA topic: same word {:.4g}, same topic {:.4g}, different topic {:.4g}; contrast {:.4g}\n"
      "  worst per-word margin: rows {:.4g} (word {}), columns {:.4g} (word {}); block residual {:.3f}\n"
      "  words whose same-topic mean beats every other topic's: {:.1f}%, beats the different-topic mean: "
      "{:.1f}%\n",
      b.same_word_mean, b.same_topic_mean, b.different_topic_mean, b.contrast, b.row_margin.value, b.row_margin.word,
      b.column_margin.value, b.column_margin.word, b.relative_residual, 100 * b.share_above_every_topic,
      100 * b.share_above_other_topics);
}

}  // namespace

std::string FormatValueOptimum(const assumptions::CorpusValueOptimum& o) {
  return fmt::format(
             "W^V: exact T2 optimum A (C + lambda I)^-1 under the corpus' word laws (NOT a trained model), "
             "lambda = {:.3g} x tr(C)/n = {:.3g}\n",
             o.relative_lambda, o.lambda) +
         FormatBlockLines(o.block);
}

std::string FormatTrainedValue(const assumptions::TrainedValue& t) {
  const assumptions::ValueTraining& s = t.training;
  std::string text = fmt::format(
      "W^V: trained ({} loss, {} lr {:g} {}, {} steps of {} documents, {} masks, init scale {:g}, seed {}), "
      "lambda = {:.3g} x tr(C)/n = {:.3g}\n"
      "  training {}: {} in {:.1f} s; minibatch loss over the last fifth {:.5g}, {:.2f}% below the fifth before\n",
      theory::NameOf(s.loss), theory::NameOf(s.optimizer.kind), s.optimizer.lr, theory::NameOf(s.optimizer.schedule),
      s.steps, s.batch, theory::NameOf(s.masking), s.init_scale, s.seed, s.relative_lambda, t.lambda,
      theory::NameOf(t.termination), t.message, t.seconds, t.final_loss, 100 * t.last_fifth_drop);
  // The trainer stops only on non-finite values; a loss that grew means the learning rate was too large.
  if (!t.trajectory.empty() && t.final_loss > t.trajectory.front().data_loss) {
    text += fmt::format("  WARNING: the minibatch loss rose from {:.5g}; lower --train-lr\n",
                        t.trajectory.front().data_loss);
  }
  text += FormatBlockLines(t.block);
  if (t.optimum) {
    text += fmt::format("  against the exact optimum: relative Frobenius distance {:.4g}, cosine {:.4f}",
                        t.optimum->relative_distance, t.optimum->cosine);
    text += std::isnan(t.optimum->excess_objective)
                ? " (not the same objective: loss or lambda differ)\n"
                : fmt::format(", excess exact objective {:.3g} ({:.1f}% of the decrease from W = 0 to W* achieved)\n",
                              t.optimum->excess_objective, 100 * t.optimum->decrease_achieved);
  }
  return text;
}

}  // namespace ldaformer::report
