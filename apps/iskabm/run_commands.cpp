// `iskabm run CONFIG`: run the model and report what it produced.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <fstream>
#include <sstream>
#include <map>

#include "apps/iskabm/commands.hpp"
#include "apps/iskabm/stop_signal.hpp"
#include "calibration/posterior_file.hpp"
#include "iskabm/build_info.hpp"
#include "io/observed_data.hpp"
#include "model/simulation.hpp"
#include "statistics/summary_statistics.hpp"
#include "model/world.hpp"
#include "output/run_file.hpp"
#include "output/run_journal.hpp"
#include "ensemble/ensemble.hpp"
#include "ensemble/progress.hpp"
#include "base/quantile.hpp"
#include "base/run_plan.hpp"
#include "base/errors.hpp"
#include "config/scenario_loader.hpp"

namespace iskabm::app {

namespace {

struct RunOptions {
  std::string config;
  std::string output;
  std::string posterior;         // draw each replicate's calibrated parameters from this posterior
  std::string shard;             // "K/N": run only shard K of N of the replicates
  bool no_posterior = false;     // ignore the scenario's [run] posterior
  std::uint64_t seed = 0;
  std::uint64_t first_replicate = 0;
  std::uint64_t replicates = 0;  // 0: the scenario's
  int threads = 0;               // 0: all cores
  bool resume = false, no_progress = false, quiet = false;
};


// The year (index into the window's years) of each month of the window.
std::vector<std::size_t> year_of_each_month(const World& w) {
  std::vector<std::size_t> year(static_cast<std::size_t>(w.calendar.months), 0);
  for (std::size_t t = 0; t < w.days(); ++t) year[w.calendar.month_index[t]] = static_cast<std::size_t>(w.calendar.year_index[t]);
  return year;
}

// Observed attacks per (country, year) of one replicate, appended to `out`.
void append_yearly_observed(const World& w, const std::vector<std::size_t>& year_of_month, const Recorder& r,
                            std::vector<double>& out) {
  const auto& geo = *w.geography;
  const auto years = static_cast<std::size_t>(w.calendar.years);
  const auto at = out.size();
  out.resize(at + country_count * years, 0.0);
  for (std::size_t m = 0; m < r.months; ++m)
    for (DistrictIndex d = 0; d < geo.size(); ++d)
      out[at + static_cast<std::size_t>(geo.country[d]) * years + year_of_month[m]] += r.attacks_observed[r.md(m, d)];
}

// The ensemble's observed attacks per country and year (median, 90 % interval) against the record.
void print_ensemble_summary(const World& w, const std::vector<double>& yearly, const ObservedData& obs) {
  const auto years = static_cast<std::size_t>(w.calendar.years);
  const std::size_t width = country_count * years, n = yearly.size() / std::max<std::size_t>(width, 1);
  if (n < 2) return;
  fmt::print("observed attacks over {} replicates: median (90 % interval) against the record\n", n);
  fmt::print("{:<12}", "country");
  for (std::size_t y = 0; y < years; ++y) fmt::print(" {:>17}", w.calendar.first_year + static_cast<int>(y));
  fmt::print("\n");
  for (std::size_t c = 0; c < country_count; ++c) {
    fmt::print("{:<12}", country_name(static_cast<Country>(c)));
    for (std::size_t y = 0; y < years; ++y) {
      std::vector<double> v;
      for (std::size_t r = 0; r < n; ++r) v.push_back(yearly[r * width + c * years + y]);
      fmt::print(" {:>17}", fmt::format("{:.0f} ({:.0f}-{:.0f})", quantile(v, 0.5), quantile(v, 0.05), quantile(v, 0.95)));
    }
    fmt::print("\n{:<12}", "  record");
    for (std::size_t y = 0; y < years; ++y)
      fmt::print(" {:>17}", obs.events.count(static_cast<Country>(c), w.calendar.first_year + static_cast<int>(y)));
    fmt::print("\n");
  }
  fmt::print("\nthe last replicate in detail:\n");
}

// The last replicate's yearly counts against the observed record, and group strength and losses.
void print_run_summary(const World& w, const Recorder& r, const ObservedData& obs) {
  const auto& geo = *w.geography;
  const int first_year = w.calendar.first_year;
  const int years = w.calendar.years;
  std::vector<std::array<long, 4>> per_year(static_cast<std::size_t>(years) * country_count);  // true, observed, fatal, joint
  for (const auto& e : r.events) {
    const auto y = static_cast<std::size_t>(to_civil(e.day).year - first_year);
    auto& a = per_year[y * country_count + static_cast<std::size_t>(geo.country[e.district])];
    a[0] += 1;
    a[1] += e.observed;
    a[2] += e.fatalities;
    a[3] += e.partner >= 0;
  }
  fmt::print("{:<12}{:>6}  {:>8} {:>9} {:>9} {:>7}\n", "country", "year", "attacks", "observed", "data", "joint");
  for (std::size_t c = 0; c < country_count; ++c)
    for (int y = 0; y < years; ++y) {
      const auto& a = per_year[static_cast<std::size_t>(y) * country_count + c];
      fmt::print("{:<12}{:>6}  {:>8} {:>9} {:>9} {:>7}\n", country_name(static_cast<Country>(c)), first_year + y, a[0],
                 a[1], obs.events.count(static_cast<Country>(c), first_year + y), a[3]);
    }
  std::vector<std::pair<long, DistrictIndex>> by_district(geo.size());
  for (DistrictIndex d = 0; d < geo.size(); ++d) by_district[d].second = d;
  for (const auto& e : r.events) by_district[e.district].first += e.observed;
  std::sort(by_district.begin(), by_district.end(), [](auto& a, auto& b) { return a.first > b.first; });
  fmt::print("\ntop districts by observed attacks:");
  for (std::size_t k = 0; k < 8; ++k)
    fmt::print(" {} {} ({}),", geo.district_name[by_district[k].second],
               geo.province_name[geo.province[by_district[k].second]], by_district[k].first);
  fmt::print("\n");
  fmt::print("\n{:<6}{:>6} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "group", "year", "members", "cells",
             "recruits", "killed", "captured", "surrend.", "by Tal.");
  // Calendar year of each month of the window (the window may start in any month).
  std::vector<int> year_of_month(r.months, first_year);
  for (std::size_t t = 0; t < w.days(); ++t) year_of_month[w.calendar.month_index[t]] = first_year + w.calendar.year_index[t];
  for (GroupIndex g = 0; g < w.config.group_count(); ++g)
    for (int y = 0; y < years; ++y) {
      long members = 0, cells = 0, flows[5] = {0, 0, 0, 0, 0};
      std::size_t last = SIZE_MAX;  // the year's last month in the window: its stock is the year-end stock
      for (std::size_t m = 0; m < r.months; ++m)
        if (year_of_month[m] == first_year + y) last = m;
      for (std::size_t m = 0; m < r.months; ++m) {
        if (year_of_month[m] != first_year + y) continue;
        for (std::size_t c = 0; c < country_count; ++c) {
          const auto country = static_cast<Country>(c);
          if (m == last) {
            members += r.group_metric(m, g, country, GroupMetric::members);
            cells += r.group_metric(m, g, country, GroupMetric::cells);
          }
          flows[0] += r.group_metric(m, g, country, GroupMetric::recruits);
          flows[1] += r.group_metric(m, g, country, GroupMetric::killed);
          flows[2] += r.group_metric(m, g, country, GroupMetric::captured);
          flows[3] += r.group_metric(m, g, country, GroupMetric::surrendered);
          flows[4] += r.group_metric(m, g, country, GroupMetric::killed_by_taliban);
        }
      }
      fmt::print("{:<6}{:>6} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9}\n", w.config.groups[g].id, first_year + y,
                 members, cells, flows[0], flows[1], flows[2], flows[3], flows[4]);
    }
}

}  // namespace

struct PlannedRun::Impl {
  const ObservedData& data;
  RunRequest request;
  std::filesystem::path config_path, output, posterior_path, journal_path;
  std::uint64_t seed = 0;
  ReplicateRange ensemble, range;
  std::string resolved, identity, posterior_identity;
  std::optional<PosteriorDraw> posterior;
  ModelConfig base_config;
  World world;
  RunMetadata meta;
};

PlannedRun::PlannedRun(const ObservedData& data, const RunRequest& request) {
  const auto& shard = request.shard;
  const auto config_path = request.config.empty() ? default_config_path() : request.config;
  auto config = load_model_config(config_path, data.geography, default_parameters_path());
  const auto seed = request.seed != 0 ? request.seed : config.seed;
  const ReplicateRange ensemble{request.first_replicate, request.replicates != 0 ? request.replicates : config.replicates};
  const auto range = shard ? shard_range(ensemble, *shard) : ensemble;  // the replicates this run writes
  auto resolved = resolved_toml(config, data.geography);
  std::optional<PosteriorDraw> posterior;
  std::filesystem::path posterior_path = request.posterior;
  if (posterior_path.empty() && !request.no_posterior) {
    posterior_path = config.posterior;
    std::error_code ec;
    if (!posterior_path.empty() && !std::filesystem::exists(posterior_path, ec))
      throw DataError(config_path.string(), 0, 0, "run.posterior",
                      fmt::format("no such file: {} (make it with `iskabm calibrate`, or run with --no-posterior)",
                                  posterior_path.string()));
  }
  if (!posterior_path.empty()) posterior = read_posterior_draw(posterior_path);
  auto base_config = config;
  auto world = make_world(data.geography, std::move(config));
  const auto default_name =
      shard ? fmt::format("{}.shard-{}-of-{}.h5", config_path.stem().string(), shard->index, shard->count)
            : fmt::format("{}.h5", config_path.stem().string());
  const std::filesystem::path output =
      request.output.empty() ? std::filesystem::path("results") / default_name : request.output;

  // What identifies the run: equal runs give byte-equal files, whatever the threads or resumes.
  const RunCommand command{config_path.filename().string(), seed, ensemble, shard,
                     request.no_posterior && !base_config.posterior.empty(),
                     posterior ? posterior_path.filename().string() : std::string()};
  RunMetadata meta{command.text(), resolved, seed, range.first, {}, {}};
  std::string posterior_identity;
  if (posterior) {
    const auto name = posterior_path.filename().string();
    meta.posterior = fmt::format("{}: {} particles; each replicate draws one by weight", name, posterior->theta.size());
    for (const auto* p : posterior->parameters) meta.varying_parameters.emplace_back(p->key);
    for (const auto& t : posterior->theta) posterior_identity += fmt::format("{}\n", fmt::join(t, " "));
    for (double x : posterior->weight) posterior_identity += fmt::format("{} ", x);
  }
  // The journal is the checkpoint: --resume replays its intact records into a fresh file
  // (giving the bytes of an uninterrupted run) and continues after them.
  auto journal_path = output;
  journal_path += ".journal";
  auto identity = fmt::format("{}\n{}\n{}\niskabm {} (git {})\n{}", resolved, seed, range.first,
                              build_info::version, build_info::git_commit, posterior_identity);
  if (shard) identity += fmt::format("\nshard {} of replicates {}", to_string(*shard), to_string(ensemble));
  impl_.reset(new Impl{data,
                       request,
                       config_path,
                       output,
                       posterior_path,
                       journal_path,
                       seed,
                       ensemble,
                       range,
                       std::move(resolved),
                       std::move(identity),
                       std::move(posterior_identity),
                       std::move(posterior),
                       std::move(base_config),
                       std::move(world),
                       std::move(meta)});
}

PlannedRun::~PlannedRun() = default;

const std::filesystem::path& PlannedRun::output() const noexcept { return impl_->output; }
const std::filesystem::path& PlannedRun::journal() const noexcept { return impl_->journal_path; }
const std::string& PlannedRun::history() const noexcept { return impl_->meta.command_line; }
const std::string& PlannedRun::configuration() const noexcept { return impl_->resolved; }
const std::string& PlannedRun::title() const noexcept { return impl_->world.config.title; }
std::uint64_t PlannedRun::replicates() const noexcept { return impl_->range.count; }

int PlannedRun::execute(const StopSignals* caller_signals) {
  const auto& data = impl_->data;
  const auto& request = impl_->request;
  const auto& shard = request.shard;
  const auto& output = impl_->output;
  const auto& journal_path = impl_->journal_path;
  const auto& world = impl_->world;
  const auto& base_config = impl_->base_config;
  const auto& posterior = impl_->posterior;
  const auto& meta = impl_->meta;
  const auto seed = impl_->seed;
  const auto ensemble = impl_->ensemble, range = impl_->range;
  const auto replicates = range.count;
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  if (posterior)
    spdlog::info("parameters drawn from {} per replicate: {}", impl_->posterior_path.string(),
                 fmt::join(meta.varying_parameters, ", "));
  // A posterior-driven replicate runs in its own World with the drawn parameter values.
  const auto world_for_replicate = [&](std::uint64_t replicate) -> std::shared_ptr<const World> {
    auto c = base_config;
    posterior->apply(c.parameters, posterior->values(seed, replicate));
    return std::make_shared<const World>(make_world(data.geography, std::move(c)));
  };

  RunFileWriter writer(output, world, meta);
  writer.set_observed_statistics(observed_summary_statistics(world, data));
  if (shard) {  // which part of which ensemble the file holds, for `iskabm merge` (docs/cluster.md)
    writer.add_attribute("shard_index", shard->index);
    writer.add_attribute("shard_count", shard->count);
    writer.add_attribute("ensemble_first_replicate", ensemble.first);
    writer.add_attribute("ensemble_replicates", ensemble.count);
    if (posterior) writer.add_attribute("posterior_fingerprint", fingerprint_hash(impl_->posterior_identity));
    spdlog::info("shard {}: replicates {} of {}", to_string(*shard), to_string(range), to_string(ensemble));
  }
  std::unique_ptr<RunJournal> journal;
  std::uint64_t done = 0;
  std::error_code ec;
  if (request.resume && std::filesystem::exists(journal_path, ec)) {
    RunJournal::recover(
        journal_path, impl_->identity,
        [&](PreparedReplicate&& p) {
          if (done < replicates) writer.append(std::move(p)), ++done;
        },
        journal);
    spdlog::info("resumed: {} replicate(s) recovered from the interrupted run", done);
  } else {
    if (request.resume)
      spdlog::warn("--resume: no interrupted run at {}; starting from the beginning", journal_path.string());
    else if (std::filesystem::exists(journal_path, ec))
      spdlog::warn("{} holds an interrupted run; starting afresh (use --resume to continue it instead)",
                   journal_path.string());
    journal = std::make_unique<RunJournal>(journal_path, impl_->identity);
  }

  // SIGINT / SIGTERM: the caller's handlers (a sweep), else our own while the ensemble runs.
  std::optional<StopSignals> own_signals;
  const StopSignals* signals = caller_signals ? caller_signals : &own_signals.emplace();
  const bool terminal = !request.no_progress && ::isatty(2);
  Progress progress(shard ? fmt::format("{} (shard {})", world.config.title, to_string(*shard)) : world.config.title,
                    replicates, terminal);
  progress.advance(done);
  const auto t0 = std::chrono::steady_clock::now();
  Recorder last;
  std::vector<double> yearly;  // observed attacks per country and year, per replicate (for the summary)
  const std::size_t yearly_width = country_count * static_cast<std::size_t>(world.calendar.years);
  const auto year_of_month = year_of_each_month(world);
  EnsembleOptions eo{seed, range.first + done, replicates - done, request.threads, signals->flag(), {}};
  if (posterior) eo.world_for_replicate = world_for_replicate;
  const auto result = run_ensemble(
      world, eo,
      [&](ReplicateOutput& out) {  // on the simulating thread: compress the chunks
        const auto* values = posterior ? &posterior->values(seed, out.replicate) : nullptr;
        out.prepared =
            std::make_shared<PreparedReplicate>(writer.prepare(out.replicate, out.recorder, nullptr, values));
      },
      [&](ReplicateOutput& out) {  // the single writer, in replicate order
        auto& prepared = *std::static_pointer_cast<PreparedReplicate>(out.prepared);
        journal->append(prepared);
        writer.append(std::move(prepared));
        progress.advance(++done);
        if (yearly.size() < 100000 * yearly_width) append_yearly_observed(world, year_of_month, out.recorder, yearly);
        if (done == replicates) last = std::move(out.recorder);
      });
  progress.finish();
  const int stopped_code = signals->exit_code();
  own_signals.reset();
  if (result.stopped) {
    journal->sync();
    writer.suspend();
    spdlog::warn("interrupted after {} of {} replicates; {} holds them: continue with --resume", done, replicates,
                 journal_path.string());
    return stopped_code;
  }
  writer.commit();
  journal->remove();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  spdlog::info("{}: {} replicate(s) of {} days, {:.3g} cell-days, in {} ({:.1f} replicates/s); wrote {}",
               world.config.title, replicates, world.days(), static_cast<double>(result.cell_days),
               format_duration(s), static_cast<double>(result.replicates_done) / std::max(s, 1e-9),
               output.string());
  if (!request.quiet && done > 1) print_ensemble_summary(world, yearly, data);
  if (!request.quiet && last.months > 0) print_run_summary(world, last, data);
  return 0;
}

void register_run_commands(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto opts = std::make_shared<RunOptions>();
  auto* run = app.add_subcommand("run", "Run an ensemble of a scenario and write the results (HDF5)");
  run->add_option("config", opts->config, "Scenario (TOML; default: scenarios/baseline_2015_2018.toml)");
  run->add_option("-o,--output", opts->output, "Result file (default: results/<scenario name>.h5)");
  run->add_option("--replicates", opts->replicates, "Number of replicates (default: the scenario's [run] replicates)")
      ->check(CLI::Range(1, 10000000));
  run->add_option("--first-replicate", opts->first_replicate, "Number of the first replicate");
  run->add_option("--shard", opts->shard,
                  "Run only shard K of N (K = 0..N-1) of the replicates; join the shards' files with `iskabm merge`");
  run->add_option("--seed", opts->seed, "Master seed (default: the scenario's)");
  run->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  run->add_option("--posterior", opts->posterior,
                  "Posterior file of `iskabm calibrate`: each replicate draws the calibrated parameters from it");
  run->add_flag("--no-posterior", opts->no_posterior,
               "Ignore the scenario's [run] posterior: run with its parameter values as they are");
  run->add_flag("--resume", opts->resume, "Continue an interrupted run from its journal (<output>.journal)");
  run->add_flag("--no-progress", opts->no_progress, "No progress bar (log lines instead)");
  run->add_flag("-q,--quiet", opts->quiet, "Do not print the summary table");
  run->callback([&global, &action, opts] {
    action = [&global, opts] {
      RunRequest request{.config = opts->config,
                         .output = opts->output,
                         .posterior = opts->posterior,
                         .no_posterior = opts->no_posterior,
                         .shard = opts->shard.empty() ? std::nullopt : std::optional<Shard>(parse_shard(opts->shard)),
                         .seed = opts->seed,
                         .first_replicate = opts->first_replicate,
                         .replicates = opts->replicates,
                         .threads = opts->threads,
                         .resume = opts->resume,
                         .no_progress = opts->no_progress,
                         .quiet = opts->quiet};
      const auto data = load_observed_data(resolve_data_dir(global));
      PlannedRun planned(data, request);
      return planned.execute();
    };
  });
}

}  // namespace iskabm::app
