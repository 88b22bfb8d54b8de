// `iskabm run CONFIG`: run the model and report what it produced.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "apps/iskabm/commands.hpp"
#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "base/run_plan.hpp"
#include "calibration/posterior_file.hpp"
#include "config/scenario_loader.hpp"
#include "ensemble/ensemble.hpp"
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "iskabm/build_info.hpp"
#include "model/simulation.hpp"
#include "model/world.hpp"
#include "output/run_file.hpp"
#include "output/run_journal.hpp"
#include "session/planned_run.hpp"
#include "session/stop_signals.hpp"
#include "statistics/monte_carlo_error.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm::app {

namespace {

struct RunOptions {
  std::string config;
  std::string output;
  std::string posterior;      // draw each replicate's calibrated parameters from this posterior
  std::string shard;          // "K/N": run only shard K of N of the replicates
  bool no_posterior = false;  // ignore the scenario's [run] posterior
  std::uint64_t seed = 0;
  std::uint64_t first_replicate = 0;
  std::uint64_t replicates = 0;  // 0: the scenario's
  int threads = 0;               // 0: all cores
  bool resume = false, no_progress = false, quiet = false;
  double precision = 0;  // percent: say which medians of the summary are not yet known to it
};

// The record's attacks in a country and year; none for a year the bundled record does not cover.
std::optional<std::size_t> recorded(const ObservedData& obs, Country c, int year) {
  if (year < observed_window_first.year || year > observed_window_last.year) return std::nullopt;
  return obs.events.count(c, year);
}
// The same as text, "-" where the record says nothing.
std::string record_count(const ObservedData& obs, Country c, int year) {
  const auto n = recorded(obs, c, year);
  return n ? std::to_string(*n) : "-";
}

// The ensemble's observed attacks per country and year (median, 90 % interval) against the record.
void print_ensemble_summary(const World& w, const std::vector<double>& yearly, const ObservedData& obs,
                            double precision) {
  const auto years = static_cast<std::size_t>(w.calendar.years);
  const std::size_t width = country_count * years, n = yearly.size() / std::max<std::size_t>(width, 1);
  if (n < 2) return;
  fmt::print("observed attacks over {} replicates: median \u00b1Monte Carlo error (90 % interval) against the record\n",
             n);
  fmt::print("{:<12}", "country");
  for (std::size_t y = 0; y < years; ++y) fmt::print(" {:>21}", w.calendar.first_year + static_cast<int>(y));
  fmt::print("\n");
  const ReplicateBootstrap bootstrap(n);
  std::vector<std::string> short_of;  // medians not yet known to the requested precision
  std::uint64_t needed = 0;
  std::size_t compared = 0, missed = 0;
  for (std::size_t c = 0; c < country_count; ++c) {
    fmt::print("{:<12}", country_name(static_cast<Country>(c)));
    std::vector<std::pair<double, double>> interval(years);
    for (std::size_t y = 0; y < years; ++y) {
      std::vector<double> v;
      for (std::size_t r = 0; r < n; ++r) v.push_back(yearly[r * width + c * years + y]);
      const double median = quantile(v, 0.5), error = bootstrap.median_error(v);
      interval[y] = {quantile(v, 0.05), quantile(v, 0.95)};
      fmt::print(" {:>21}",
                 fmt::format("{} ({:.0f}-{:.0f})", with_error(median, error), interval[y].first, interval[y].second));
      const double target = precision_target(precision, median);
      if (precision > 0 && error > target) {
        const auto k = replicates_for_precision(n, error, target);
        needed = std::max(needed, k);
        short_of.push_back(fmt::format("{} {}: error {:.3g} > {:.3g} (about {} replicates)",
                                       country_name(static_cast<Country>(c)),
                                       w.calendar.first_year + static_cast<int>(y), error, target, k));
      }
    }
    fmt::print("\n{:<12}", "  record");
    for (std::size_t y = 0; y < years; ++y) {
      const auto count = recorded(obs, static_cast<Country>(c), w.calendar.first_year + static_cast<int>(y));
      std::string text = count ? std::to_string(*count) : "-";
      if (count) {  // misfit where people look: a record value outside the 90 % interval is marked
        const auto value = static_cast<double>(*count);
        ++compared;
        if (value < interval[y].first || value > interval[y].second) {
          ++missed;
          text += value < interval[y].first ? " MISS (below)" : " MISS (above)";
        }
      }
      fmt::print(" {:>21}", text);
    }
    fmt::print("\n");
  }
  fmt::print(
      "\u00b1: how far the median could move with other replicates (bootstrap); more replicates shrink it as "
      "1/sqrt(replicates)\n");
  if (missed > 0)
    fmt::print("MISS: {} of the {} record values {} outside the ensemble's 90 % interval (the model misses them; "
               "docs/calibration.md lists the known misfits)\n",
               missed, compared, missed == 1 ? "lies" : "lie");
  else if (compared > 0)
    fmt::print("every record value above lies within the ensemble's 90 % interval\n");
  if (precision > 0) {
    if (short_of.empty())
      fmt::print("every median above is known to {} % with {} replicates\n", precision, n);
    else
      fmt::print("not yet known to {} % of the median:\n  {}\nabout {} replicates (now {}) would know them all\n",
                 precision, fmt::join(short_of, "\n  "), needed, n);
  }
  fmt::print("\nthe last replicate in detail:\n");
}

// The last replicate's yearly counts against the observed record, and group strength and losses.
void print_run_summary(const World& w, const Recorder& r, const ObservedData& obs) {
  const auto& geo = *w.geography;
  const int first_year = w.calendar.first_year;
  const int years = w.calendar.years;
  std::vector<std::array<long, 4>> per_year(static_cast<std::size_t>(years) *
                                            country_count);  // true, observed, fatal, joint
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
                 a[1], record_count(obs, static_cast<Country>(c), first_year + y), a[3]);
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
  for (std::size_t t = 0; t < w.days(); ++t)
    year_of_month[w.calendar.month_index[t]] = first_year + w.calendar.year_index[t];
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

void register_run_commands(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto opts = std::make_shared<RunOptions>();
  auto* run = app.add_subcommand("run", "Run an ensemble of a scenario and write the results (HDF5)");
  run->add_option("config", opts->config, "Scenario (TOML; default: scenarios/baseline_2015_2018.toml)");
  run->add_option("-o,--output", opts->output, "Result file (default: results/<scenario name>.h5)");
  run->add_option("--replicates", opts->replicates, "Number of replicates (default: the scenario's [run] replicates)")
      ->check(whole_number(1, 10000000));
  run->add_option("--first-replicate", opts->first_replicate, "Number of the first replicate (0 to 2^62)")
      ->check(whole_number(0, max_first_replicate));
  run->add_option("--shard", opts->shard,
                  "Run only shard K of N (K = 0..N-1) of the replicates; join the shards' files with `iskabm merge`");
  run->add_option("--seed", opts->seed, "Master seed, 1 to 2^64-1 (default: the scenario's)")
      ->check(whole_number(1, max_seed));
  run->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  auto* posterior =
      run->add_option("--posterior", opts->posterior,
                      "Posterior file of `iskabm calibrate`: each replicate draws the calibrated parameters from it");
  run->add_flag("--no-posterior", opts->no_posterior,
                "Ignore the scenario's [run] posterior: run with its parameter values as they are")
      ->excludes(posterior);
  run->add_flag("--resume", opts->resume, "Continue an interrupted run from its journal (<output>.journal)");
  run->add_flag("--no-progress", opts->no_progress, "No progress bar (log lines instead)");
  run->add_flag("-q,--quiet", opts->quiet, "Do not print the summary table");
  run->add_option("--precision", opts->precision,
                  "Say which medians of the summary are not yet known to PCT % (Monte Carlo error), and how many "
                  "replicates would get them there")
      ->check(CLI::Range(0.01, 1000.0));
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
                         .no_progress = opts->no_progress};
      const auto data = load_observed_data(resolve_data_dir(global));
      PlannedRun planned(data, request);
      const auto outcome = planned.execute();
      if (outcome.exit_code != 0 || opts->quiet) return outcome.exit_code;
      if (outcome.replicates_done > 1)
        print_ensemble_summary(planned.world(), outcome.yearly_observed, data, opts->precision);
      if (outcome.last.months > 0) print_run_summary(planned.world(), outcome.last, data);
      return 0;
    };
  });
}

}  // namespace iskabm::app
