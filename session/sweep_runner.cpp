#include "session/sweep_runner.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/output_policy.hpp"
#include "base/quantile.hpp"
#include "base/text_file.hpp"
#include "model/calendar.hpp"
#include "output/run_compare.hpp"
#include "output/run_file.hpp"
#include "output/run_merge.hpp"
#include "output/schema.hpp"
#include "session/paths.hpp"
#include "session/planned_run.hpp"
#include "session/stop_signals.hpp"
#include "statistics/monte_carlo_error.hpp"

namespace iskabm {

namespace {

// Writes `text` unless the file already holds it; replaced whole (a unique temporary, renamed),
// so array tasks of one sweep that regenerate the same files concurrently never see half of one.
void write_if_changed(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec) && read_text_file(path) == text) return;
  write_text_file(path, text);
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
      if (why) *why = fmt::format("it holds {} complete replicates, not {}", r.replicates_complete(), run.replicates());
      return Existing::other;
    }
    return Existing::current;
  } catch (const Error& e) {
    if (why) *why = e.what();
    return Existing::other;
  }
}

// The replicates a variant's file holds when it is a complete run of the same scenario and seed
// from replicate 0 (what the sweep asks for, with fewer or more replicates); 0 otherwise.
std::uint64_t complete_replicates(const ObservedData& data, RunRequest request) {
  std::error_code ec;
  if (!std::filesystem::exists(request.output, ec)) return 0;
  std::uint64_t held = 0;
  try {
    const RunFileReader r(request.output);
    held = r.replicates_complete();
  } catch (const Error&) {
    return 0;
  }
  if (held == 0) return 0;
  request.replicates = held;
  request.resume = false;
  const PlannedRun run(data, request);
  return existing_result(run) == Existing::current ? held : 0;
}

// Runs `run`; when its journal turns out to be another run's (the sweep or the program changed since
// it was interrupted), removes the journal and runs afresh. Returns the exit code.
int execute_or_restart(const ObservedData& data, RunRequest& request, std::unique_ptr<PlannedRun>& run,
                       const StopSignals& signals, const std::string& position) {
  try {
    return run->execute(&signals).exit_code;
  } catch (const UsageError&) {
    if (!request.resume) throw;
    auto journal = request.output;
    journal += ".journal";
    spdlog::warn("{}: {} holds an interrupted run of another scenario or program: starting it afresh", position,
                 journal.string());
    std::filesystem::remove(journal);
    request.resume = false;
    run = std::make_unique<PlannedRun>(data, request);
    return run->execute(&signals).exit_code;
  }
}

// Parts of an extension a crash left behind once the variant's file is complete (the missing
// replicates of an earlier target, or one already merged): <name>.from-K.h5[.journal|.tmp],
// <name>.h5.merging.h5[.tmp].
void remove_stale_parts(const SweepLayout& layout, const SweepVariant& v) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(layout.runs, ec)) {
    const auto name = entry.path().filename().string();
    // Exactly <name>.from-<digits>.h5 with an optional .journal or .tmp... suffix, or
    // <name>.h5.merging.h5[.tmp...]: never another variant's file (labels may contain ".from-").
    const auto part_of = [&](std::string_view rest) {
      std::size_t k = 0;
      while (k < rest.size() && rest[k] >= '0' && rest[k] <= '9') ++k;
      if (k == 0 || !rest.substr(k).starts_with(".h5")) return false;
      const auto tail = rest.substr(k + 3);
      return tail.empty() || tail == ".journal" || tail.starts_with(".tmp");
    };
    const std::string from = v.name + ".from-", merging = v.name + ".h5.merging.h5";
    const std::string_view n(name);
    if ((n.starts_with(from) && part_of(n.substr(from.size()))) ||
        (n.starts_with(merging) && (n.size() == merging.size() || n.substr(merging.size()).starts_with(".tmp")))) {
      std::filesystem::remove(entry.path(), ec);
      if (!ec) spdlog::info("removed {} (left by an interrupted extension)", entry.path().string());
    }
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
  check_outputs({{dir, TargetKind::directory, "-o"}}, {o.file, data_.directory});
  if (o.variant >= 0 && static_cast<std::size_t>(o.variant) >= sweep_.size())
    throw UsageError(fmt::format("--variant {}: the sweep has {} variants, numbered 0 to {} (see --list)", o.variant,
                                 sweep_.size(), sweep_.size() - 1));
  std::filesystem::create_directories(layout_.scenarios);
  variants_ = sweep_.variants(layout_.scenarios);
  for (const auto& v : variants_)
    if (!v.reference) write_if_changed(layout_.scenario(v, sweep_), v.scenario_toml);
  validate(sweep_, variants_, layout_, data_, o);
}

int SweepRunner::run() { return request_.precision > 0 ? run_to_precision() : run_variants(); }

int SweepRunner::run_variants() {
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
      replicates_ = run->replicates();
      const auto position = fmt::format("variant {} (of 0-{}) {}", v->index, variants.size() - 1, v->name);
      std::string why;
      const auto existing = existing_result(*run, &why);
      if (existing == Existing::current) {
        spdlog::info("{}: {} is complete: skipped", position, run->output().string());
        remove_stale_parts(layout, *v);
        continue;
      }
      const auto held = complete_replicates(data, request);
      if (held > run->replicates())  // more of this very run than asked for: never thrown away
        throw UsageError(fmt::format(
            "{}: {} holds {} replicates of this run, more than the {} asked for: run the sweep with --replicates {} "
            "(or --precision) to use them, or remove the file to start the variant afresh",
            position, run->output().string(), held, run->replicates(), held));
      // The first replicates of this very run are there: run the rest and merge.
      if (held > 0 && held < run->replicates()) {
        const OutputLock lock(run->output());  // the file is replaced at the end: no other writer meanwhile
        auto part_request = request;
        part_request.first_replicate = held;
        part_request.replicates = run->replicates() - held;
        part_request.output = layout.runs / fmt::format("{}.from-{}.h5", v->name, held);
        auto part_journal = part_request.output;
        part_journal += ".journal";
        part_request.resume = std::filesystem::exists(part_journal, ec);
        auto part = std::make_unique<PlannedRun>(data, part_request);
        if (existing_result(*part) != Existing::current) {
          spdlog::info("{}: {} holds replicates 0-{}: running {}-{} into {}{}", position, run->output().string(),
                       held - 1, held, run->replicates() - 1, part->output().string(),
                       part_request.resume ? " (resuming its interrupted run)" : "");
          if (const int rc = execute_or_restart(data, part_request, part, signals, position); rc != 0) {
            spdlog::warn("sweep interrupted in {}: run the same command again to continue", position);
            return rc;
          }
        }
        auto merged = run->output();
        merged += ".merging.h5";
        const RunMerge merge({run->output(), part->output()}, data, default_parameters_path());
        if (!merge.write(merged, signals.flag())) {
          spdlog::warn("sweep interrupted merging {}: run the same command again to continue", position);
          return signals.exit_code();
        }
        std::filesystem::rename(merged, run->output());
        std::filesystem::remove(part->output());
        spdlog::info("{}: {} now holds replicates 0-{}", position, run->output().string(), run->replicates() - 1);
        continue;
      }
      if (existing == Existing::other)
        spdlog::warn("{}: {} holds another run ({}): running the variant again", position, run->output().string(), why);
      spdlog::info("{}: {} replicate(s) into {}{}", position, run->replicates(), run->output().string(),
                   request.resume ? " (resuming its interrupted run)" : "");
      if (const int rc = execute_or_restart(data, request, run, signals, position); rc != 0) {
        spdlog::warn("sweep interrupted in {}: run the same command again to continue", position);
        return rc;
      }
    }
    if (signals.requested()) return signals.exit_code();
  }
  return 0;
}

int SweepRunner::run_to_precision() {
  if (request_.variant >= 0)
    throw UsageError("--precision adds replicates to every variant together: it cannot run one --variant");
  const auto chunk = PlannedRun(data_, request_for(variants_.front(), sweep_, layout_, request_)).replicates();
  const auto most = request_.max_replicates != 0 ? request_.max_replicates : 20 * chunk;
  if (most < chunk)
    throw UsageError(fmt::format("--max-replicates {} is below one chunk of {} replicates", most, chunk));
  // Continue from what an earlier (interrupted or less precise) call left: the most replicates any
  // variant's file holds of this sweep's runs (never fewer: what is there is kept).
  std::uint64_t target = chunk;
  for (const auto& v : variants_)
    target = std::max(target, complete_replicates(data_, request_for(v, sweep_, layout_, request_)));
  const auto& metrics = request_.precision_metrics;
  for (;;) {
    request_.replicates = target;
    spdlog::info(
        "sweep {}: {} replicates per variant (chunks of {}; at most {}), until the headline {} are known "
        "to {} %",
        sweep_.file().string(), target, chunk, most, sweep_.has_reference() ? "differences" : "medians",
        request_.precision);
    if (const int rc = run_variants(); rc != 0) return rc;
    summary_ = collect();
    const auto& summary = *summary_;
    for (const auto& metric : metrics)  // a misspelt metric would otherwise be "known" at once
      if (std::none_of(summary.rows.begin(), summary.rows.end(), [&](const auto& r) { return r.metric == metric; })) {
        std::vector<std::string> known;
        for (const auto& r : summary.rows)
          if (std::find(known.begin(), known.end(), r.metric) == known.end()) known.push_back(r.metric);
        throw UsageError(fmt::format("--precision-metric {}: the sweep's summary has no such metric (it has: {})",
                                     metric, fmt::join(known, ", ")));
      }
    const auto shortfalls = sweep_precision_shortfalls(summary.rows, request_.precision, metrics);
    if (shortfalls.empty()) {
      spdlog::info("every headline {} is known to {} % with {} replicates",
                   sweep_.has_reference() ? "difference" : "median", request_.precision, target);
      return 0;
    }
    std::uint64_t needed = 0;
    for (const auto& s : shortfalls) {
      needed = std::max(needed, s.replicates_needed);
      spdlog::info("  {} {} {}: Monte Carlo error {:.3g} > {:.3g} (about {} replicates)", s.row->variant, s.row->metric,
                   s.row->scope, s.error, s.target, s.replicates_needed);
    }
    if (target >= most) {
      spdlog::warn(
          "{} headline value(s) not yet known to {} % at the maximum of {} replicates (about {} needed): "
          "raise --max-replicates to go on",
          shortfalls.size(), request_.precision, most, needed);
      return 0;
    }
    // The next whole number of chunks that the errors' 1/sqrt(R) scaling says is enough, at most
    // twice the replicates run so far (an error estimated from few replicates is itself noisy).
    const auto enough = (needed + chunk - 1) / chunk * chunk;
    const auto wanted = std::max(target + chunk, std::min(enough, 2 * target));
    target = std::min(most, wanted);
  }
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
    const ReplicateBootstrap bootstrap(totals.replicates);
    std::optional<Comparison> paired;  // against the reference: paired differences (common random numbers)
    if (reference != variants.end() && !v.reference)
      paired = compare_runs(layout.output(*reference), layout.output(v), ComparisonRows::headline);
    for (const auto& entry : totals.metrics) {  // not a structured binding: clang 14 cannot capture one
      const auto& metric = entry.first;
      const auto& by_scope = entry.second;
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
                            .difference_q95 = std::nullopt,
                            .median_error = bootstrap.median_error(by_scope[s]),
                            .difference_error = std::nullopt};
        if (v.reference) {  // the reference minus itself
          row.difference_median = row.difference_q05 = row.difference_q95 = row.difference_error = 0.0;
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
            row.difference_error = it->diff_error;
          }
        }
        rows.push_back(std::move(row));
      }
    }
  }
  const auto summary = layout.dir / "summary.csv";
  write_text_file(summary, sweep_summary_csv(sweep.axes(), rows));
  spdlog::info("wrote {} ({} rows)", summary.string(), rows.size());
  return SweepSummary{summary, std::move(rows)};
}

std::vector<SweepShortfall> sweep_precision_shortfalls(const std::vector<SweepSummaryRow>& rows, double percent,
                                                       const std::vector<std::string>& metrics) {
  const auto judged = [&](const std::string& metric) {
    if (!metrics.empty()) return std::find(metrics.begin(), metrics.end(), metric) != metrics.end();
    return is_headline_metric(metric);
  };
  // The reference's median of each (metric, scope): the scale a relative precision refers to.
  std::map<std::pair<std::string, std::string>, double> reference;
  for (const auto& r : rows)
    if (r.variant == "reference") reference[{r.metric, r.scope}] = r.median;
  std::vector<SweepShortfall> out;
  for (const auto& r : rows) {
    if (!judged(r.metric) || (r.scope != "all" && r.scope != "Afghanistan" && r.scope != "Pakistan")) continue;
    const bool paired = !reference.empty();
    if (paired && (r.variant == "reference" || !r.difference_error)) continue;
    const double error = paired ? *r.difference_error : r.median_error;
    const auto it = reference.find({r.metric, r.scope});
    const double scale = it != reference.end() ? it->second : r.median;
    const double target = precision_target(percent, scale);
    if (std::isnan(error) || error > target)
      out.push_back({&r, error, target, replicates_for_precision(r.replicates, error, target)});
  }
  return out;
}

}  // namespace iskabm
