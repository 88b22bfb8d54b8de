#include "session/sweep_runner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>

#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "base/text_file.hpp"
#include "model/calendar.hpp"
#include "output/run_compare.hpp"
#include "output/run_file.hpp"
#include "output/schema.hpp"
#include "session/planned_run.hpp"
#include "session/stop_signals.hpp"

namespace iskabm {

namespace {

// Writes `text` unless the file already holds it; replaced whole (a unique temporary, renamed),
// so array tasks of one sweep that regenerate the same files concurrently never see half of one.
void write_if_changed(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec) && read_text_file(path) == text) return;
  auto tmp = path;
  tmp += fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw IoError(fmt::format("{}: cannot write", tmp.string()));
  }
  std::filesystem::rename(tmp, path);
}

RunRequest request_for(const SweepVariant& v, const Sweep& sweep, const SweepLayout& layout, const SweepRequest& o) {
  return RunRequest{.config = layout.scenario(v, sweep),
                    .output = layout.output(v),
                    .posterior = {},
                    .no_posterior = false,
                    .shard = std::nullopt,
                    .seed = 0,
                    .first_replicate = 0,
                    .replicates = o.replicates != 0 ? o.replicates : sweep.replicates().value_or(0),
                    .threads = o.threads,
                    .resume = false,
                    .no_progress = o.no_progress};
}

// Whether a variant's result file is there and holds the run the sweep asks for now.
enum class Existing { none, current, other };
Existing existing_result(const PlannedRun& run, std::string* why = nullptr) {
  std::error_code ec;
  if (!std::filesystem::exists(run.output(), ec)) return Existing::none;
  try {
    const RunFileReader r(run.output());
    if (r.attribute("history") != run.history()) {
      if (why) *why = fmt::format("it ran `{}`", r.attribute("history"));
      return Existing::other;
    }
    if (r.attribute("configuration_toml") != run.configuration()) {
      if (why) *why = "its scenario differs from the variant's (the sweep or the base changed)";
      return Existing::other;
    }
    if (r.replicates_complete() != run.replicates()) {
      if (why) *why = "it is incomplete";
      return Existing::other;
    }
    return Existing::current;
  } catch (const Error& e) {
    if (why) *why = e.what();
    return Existing::other;
  }
}

// Loads every variant's scenario as `run` would; all problems are reported (each pointed at the
// sweep file's line where a level causes it), then one DataError: nothing runs.
void validate(const Sweep& sweep, const std::vector<SweepVariant>& variants, const SweepLayout& layout,
              const ObservedData& data, const SweepRequest& o) {
  struct Problem {
    std::string text, detail;
    std::vector<std::string> variants;
  };
  std::vector<Problem> problems;
  for (const auto& v : variants) {
    try {
      const PlannedRun run(data, request_for(v, sweep, layout, o));
    } catch (const DataError& e) {
      const auto generated = layout.scenario(v, sweep);
      const auto located = sweep.locate(e, v, generated);
      const auto detail = located.file() == e.file() ? std::string()
                                                     : fmt::format("; generated scenario {}:{}:{}, key {}",
                                                                   generated.string(), e.line(), e.column(), e.field());
      auto it =
          std::find_if(problems.begin(), problems.end(), [&](const Problem& p) { return p.text == located.what(); });
      if (it == problems.end()) problems.push_back({located.what(), detail, {}}), it = problems.end() - 1;
      it->variants.push_back(v.name);
    }
  }
  if (problems.empty()) return;
  for (const auto& p : problems) {
    const auto shown = std::min<std::size_t>(p.variants.size(), 3);
    const auto more = p.variants.size() > shown ? fmt::format(" and {} more", p.variants.size() - shown) : "";
    fmt::print(stderr, "iskabm: error: {} (variant{} {}{}{})\n", p.text, p.variants.size() > 1 ? "s" : "",
               fmt::join(p.variants.begin(), p.variants.begin() + static_cast<long>(shown), ", "), more, p.detail);
  }
  std::size_t bad = 0;
  for (const auto& p : problems) bad += p.variants.size();
  throw DataError(sweep.file().string(), 0, "",
                  fmt::format("{} of the {} variants cannot run (above); nothing was run",
                              std::min(bad, variants.size()), variants.size()));
}

// ---------------------------------------------------------------- the summary

constexpr std::array<const char*, 3> scopes{"all", "Afghanistan", "Pakistan"};

// Per replicate totals of one run over its whole window: metric -> scope -> values.
struct RunTotals {
  std::string period;
  std::size_t replicates = 0;
  std::vector<std::pair<std::string, std::array<std::vector<double>, 3>>> metrics;  // in summary order
};

RunTotals run_totals(const std::filesystem::path& path) {
  const RunFileReader r(path);
  r.require_complete();
  RunTotals t;
  t.replicates = r.replicates_complete();
  const auto time = r.doubles("time");
  const auto first = to_civil(static_cast<DayNumber>(time.front())).year,
             last = to_civil(static_cast<DayNumber>(time.back())).year;
  t.period = first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
  const auto country = r.integers("district_country");
  const auto D = country.size();
  const auto groups = r.strings("group");
  const auto afghanistan = static_cast<std::int64_t>(Country::afghanistan);
  for (const auto& variable : output_schema()) {
    const auto& metric = variable.name;
    if (!variable.compared || !r.has_variable(metric)) continue;
    const auto shape = r.shape(metric);  // replicate, time, district[, partner]
    const std::size_t inner = shape.size() > 3 ? shape[3] : 1;
    std::array<std::vector<double>, 3> v;
    for (std::size_t k = 0; k < t.replicates; ++k) {
      const auto x = r.replicate_integers(metric, k);
      double by_country[2] = {0, 0};
      for (std::size_t i = 0; i < x.size(); ++i)
        by_country[country[(i / inner) % D] == afghanistan ? 0 : 1] += static_cast<double>(x[i]);
      v[0].push_back(by_country[0] + by_country[1]);
      v[1].push_back(by_country[0]);
      v[2].push_back(by_country[1]);
    }
    t.metrics.emplace_back(metric, std::move(v));
  }
  if (!groups.empty() && r.has_variable("group_members")) {  // the focal group's members at the window's end
    const auto shape = r.shape("group_members");             // replicate, time, group, country
    const auto M = shape.at(1), G = shape.at(2);
    std::array<std::vector<double>, 3> v;
    for (std::size_t k = 0; k < t.replicates; ++k) {
      const auto x = r.replicate_integers("group_members", k);
      const double a = static_cast<double>(x[((M - 1) * G + 0) * 2 + 0]),
                   p = static_cast<double>(x[((M - 1) * G + 0) * 2 + 1]);
      v[0].push_back(a + p);
      v[1].push_back(a);
      v[2].push_back(p);
    }
    t.metrics.emplace_back(groups[0] + "_members", std::move(v));
  }
  return t;
}

}  // namespace

SweepRunner::SweepRunner(const ObservedData& data, SweepRequest request)
    : data_(data), request_(std::move(request)), sweep_(Sweep::load(request_.file)) {
  const auto& o = request_;
  const std::filesystem::path dir = o.output.empty() ? std::filesystem::path("results") / o.file.stem() : o.output;
  layout_ = SweepLayout{dir, dir / "scenarios", dir / "runs"};
  if (o.variant >= 0 && static_cast<std::size_t>(o.variant) >= sweep_.size())
    throw UsageError(fmt::format("--variant {}: the sweep has {} variants, numbered 0 to {} (see --list)", o.variant,
                                 sweep_.size(), sweep_.size() - 1));
  std::filesystem::create_directories(layout_.scenarios);
  variants_ = sweep_.variants(layout_.scenarios);
  for (const auto& v : variants_)
    if (!v.reference) write_if_changed(layout_.scenario(v, sweep_), v.scenario_toml);
  validate(sweep_, variants_, layout_, data_, o);
}

int SweepRunner::run() {
  const auto& sweep = sweep_;
  const auto& variants = variants_;
  const auto& layout = layout_;
  const auto& data = data_;
  const auto& o = request_;
  const auto& dir = layout.dir;
  std::vector<const SweepVariant*> todo;
  for (const auto& v : variants)
    if (o.variant < 0 || v.index == static_cast<std::size_t>(o.variant)) todo.push_back(&v);
  std::filesystem::create_directories(layout.runs);
  spdlog::info("sweep {}: {} variant(s){} into {}", sweep.file().string(), variants.size(),
               o.variant >= 0 ? fmt::format(", running variant {} ({})", o.variant, todo.front()->name) : "",
               dir.string());
  {
    const StopSignals signals;  // held across the variants: a stop between two runs is clean too
    for (const auto* v : todo) {
      if (signals.requested()) {
        spdlog::warn("interrupted before variant {}: run the same command again to continue", v->name);
        return signals.exit_code();
      }
      auto request = request_for(*v, sweep, layout, o);
      auto journal = request.output;
      journal += ".journal";
      std::error_code ec;
      request.resume = std::filesystem::exists(journal, ec);
      auto run = std::make_unique<PlannedRun>(data, request);
      const auto position = fmt::format("variant {} (of 0-{}) {}", v->index, variants.size() - 1, v->name);
      std::string why;
      const auto existing = existing_result(*run, &why);
      if (existing == Existing::current) {
        spdlog::info("{}: {} is complete: skipped", position, run->output().string());
        continue;
      }
      if (existing == Existing::other)
        spdlog::warn("{}: {} holds another run ({}): running the variant again", position, run->output().string(), why);
      spdlog::info("{}: {} replicate(s) into {}{}", position, run->replicates(), run->output().string(),
                   request.resume ? " (resuming its interrupted run)" : "");
      int rc = 0;
      try {
        rc = run->execute(&signals).exit_code;
      } catch (const UsageError&) {  // the journal is another run's (the sweep changed): start afresh
        if (!request.resume) throw;
        spdlog::warn(
            "{}: {} holds an interrupted run of another scenario or program (the sweep changed "
            "since): starting the variant afresh",
            position, journal.string());
        std::filesystem::remove(journal);
        request.resume = false;
        run = std::make_unique<PlannedRun>(data, request);
        rc = run->execute(&signals).exit_code;
      }
      if (rc != 0) {
        spdlog::warn("sweep interrupted in {}: run the same command again to continue", position);
        return rc;
      }
    }
    if (signals.requested()) return signals.exit_code();
  }
  return 0;
}

SweepSummary SweepRunner::collect() const {
  const auto& sweep = sweep_;
  const auto& variants = variants_;
  const auto& layout = layout_;
  const auto& data = data_;
  const auto& o = request_;
  std::vector<std::string> missing;
  for (const auto& v : variants) {
    const PlannedRun run(data, request_for(v, sweep, layout, o));
    std::string why;
    switch (existing_result(run, &why)) {
      case Existing::none: missing.push_back(fmt::format("{} (no {})", v.name, run.output().string())); break;
      case Existing::other:
        missing.push_back(
            fmt::format("{} ({} does not hold this sweep's run: {})", v.name, run.output().string(), why));
        break;
      case Existing::current: break;
    }
  }
  if (!missing.empty())
    throw IoError(fmt::format(
        "{}: {} of the {} variants have no result to collect: {}; run them first (iskabm sweep "
        "{} [--variant K])",
        sweep.file().string(), missing.size(), variants.size(), fmt::join(missing, ", "), sweep.file().string()));

  const auto reference = std::find_if(variants.begin(), variants.end(), [](const auto& v) { return v.reference; });
  std::vector<SweepSummaryRow> rows;
  for (const auto& v : variants) {
    const auto totals = run_totals(layout.output(v));
    std::optional<Comparison> paired;  // against the reference: paired differences (common random numbers)
    if (reference != variants.end() && !v.reference) paired = compare_runs(layout.output(*reference), layout.output(v));
    for (const auto& [metric, by_scope] : totals.metrics)
      for (std::size_t s = 0; s < scopes.size(); ++s) {
        SweepSummaryRow row{.variant = v.name,
                            .labels = v.labels,
                            .metric = metric,
                            .scope = scopes[s],
                            .period = totals.period,
                            .replicates = totals.replicates,
                            .median = quantile(by_scope[s], 0.5),
                            .q05 = quantile(by_scope[s], 0.05),
                            .q95 = quantile(by_scope[s], 0.95),
                            .difference_median = std::nullopt,
                            .difference_q05 = std::nullopt,
                            .difference_q95 = std::nullopt};
        if (v.reference) {  // the reference minus itself
          row.difference_median = row.difference_q05 = row.difference_q95 = 0.0;
        } else if (paired) {
          // The comparison's first period is the window the two runs share.
          const auto& window = paired->rows.front().period;
          const auto it = std::find_if(paired->rows.begin(), paired->rows.end(), [&](const ComparisonRow& c) {
            return c.metric == metric && c.scope == scopes[s] && c.period == window;
          });
          if (it != paired->rows.end()) {
            row.difference_median = it->diff_median;
            row.difference_q05 = it->diff_q05;
            row.difference_q95 = it->diff_q95;
          }
        }
        rows.push_back(std::move(row));
      }
  }
  const auto summary = layout.dir / "summary.csv";
  write_text_file(summary, sweep_summary_csv(sweep.axes(), rows));
  spdlog::info("wrote {} ({} rows)", summary.string(), rows.size());
  return SweepSummary{summary, std::move(rows)};
}

}  // namespace iskabm
