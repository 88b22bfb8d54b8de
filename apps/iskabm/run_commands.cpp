// `iskabm run CONFIG`: run the model and report what it produced.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <map>

#include "apps/iskabm/commands.hpp"
#include "iskabm/build_info.hpp"
#include "model/observed_data.hpp"
#include "model/simulation.hpp"
#include "model/world.hpp"
#include "output/run_file.hpp"

namespace iskabm::app {

namespace {

struct RunOptions {
  std::string config;
  std::string output;
  std::uint64_t seed = 0;
  std::uint64_t first_replicate = 0;
  std::uint64_t replicates = 1;
  bool quiet = false;
};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream b;
  b << in.rdbuf();
  return b.str();
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
  for (GroupIndex g = 0; g < w.config.group_count(); ++g)
    for (int y = 0; y < years; ++y) {
      long members = 0, cells = 0, flows[5] = {0, 0, 0, 0, 0};
      for (int mo = 0; mo < 12; ++mo) {
        const auto m = static_cast<std::size_t>(y * 12 + mo);
        if (m >= r.months) break;
        for (std::size_t c = 0; c < country_count; ++c) {
          const auto country = static_cast<Country>(c);
          if (mo == 11 || m + 1 == r.months) {
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
  auto* run = app.add_subcommand("run", "Run the model on a configuration and write the results (HDF5)");
  run->add_option("config", opts->config, "Model configuration (TOML; default: scenarios/baseline_2015_2018.toml)");
  run->add_option("-o,--output", opts->output, "Result file (default: results/<configuration name>.h5)");
  run->add_option("--replicates", opts->replicates, "Number of replicates")->check(CLI::Range(1, 10000000));
  run->add_option("--first-replicate", opts->first_replicate, "Number of the first replicate");
  run->add_option("--seed", opts->seed, "Master seed (default: the configuration's)");
  run->add_flag("-q,--quiet", opts->quiet, "Do not print the summary table");
  run->callback([&global, &action, opts] {
    action = [&global, opts] {
      const auto data = load_observed_data(resolve_data_dir(global));
      const auto config_path = opts->config.empty() ? default_config_path() : std::filesystem::path(opts->config);
      auto config = load_model_config(config_path, data.geography, default_parameters_path());
      const auto seed = opts->seed != 0 ? opts->seed : config.seed;
      const auto world = make_world(data.geography, std::move(config));
      const std::filesystem::path output =
          opts->output.empty() ? std::filesystem::path("results") / (config_path.stem().string() + ".h5")
                               : std::filesystem::path(opts->output);
      if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());

      RunMetadata meta{global.command_line, read_text(config_path), seed};
      RunFileWriter writer(output, world, meta);
      State state;
      Recorder rec;
      const auto t0 = std::chrono::steady_clock::now();
      std::uint64_t cell_days = 0;
      for (std::uint64_t k = 0; k < opts->replicates; ++k) {
        run_replicate(world, seed, opts->first_replicate + k, state, rec);
        cell_days += rec.cell_days;
        writer.append(opts->first_replicate + k, rec);
      }
      writer.commit();
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      spdlog::info("{}: {} replicate(s) of {} days, {} cell-days, in {:.0f} ms; wrote {}", world.config.title,
                   opts->replicates, world.days(), cell_days, ms, output.string());
      if (!opts->quiet) print_run_summary(world, rec, data);
      return 0;
    };
  });
}

}  // namespace iskabm::app
