// `iskabm sensitivity SPEC.toml`: global sensitivity of a calibration spec's statistics to its free
// parameters (Morris screening or Sobol' indices; calibration/sensitivity_study.hpp).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "apps/iskabm/commands.hpp"
#include "base/csv_writer.hpp"
#include "base/text_file.hpp"
#include "calibration/loaded_calibration.hpp"
#include "calibration/sensitivity_file.hpp"
#include "calibration/sensitivity_simulator.hpp"
#include "calibration/sensitivity_study.hpp"
#include "config/scenario_loader.hpp"
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "session/stop_signals.hpp"

namespace iskabm::app {

namespace {

void print_ranking(const SensitivityStudy& s) {
  const bool morris = s.options.method == SensitivityMethod::morris;
  fmt::print("{} sensitivity: {} parameters, {} statistics, {} design points x {} replicate(s) = {} simulations\n\n",
             morris ? "Morris" : "Sobol'", s.factors.size(), s.statistics.size(), s.design.size(), s.options.replicates,
             s.simulations);
  fmt::print("{:>4}  {:<34} {:>10}  {}\n", "rank", "parameter", morris ? "mu*/sd" : "mean ST",
             "most influenced statistics");
  const auto order = s.ranking();
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto f = order[r];
    // The three statistics this parameter moves most.
    std::vector<std::pair<double, std::size_t>> top;
    for (const auto& x : s.indices) {
      if (x.factor != f || !(x.output_sd > 0)) continue;
      const double v = morris ? x.mu_star / x.output_sd : x.total;
      if (std::isfinite(v)) top.emplace_back(v, x.statistic);
    }
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string names;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, top.size()); ++i)
      names += fmt::format("{}{} ({:.2f})", i ? ", " : "", s.statistics[top[i].second], top[i].first);
    fmt::print("{:>4}  {:<34} {:>10.3f}  {}\n", r + 1, s.factors[f], s.overall(f), names);
  }
  if (s.options.log_outputs) fmt::print("\n(on log(1 + y) of every output that is never negative over the design)");
  fmt::print("\n({})\n", morris ? "mu*/sd: mean absolute elementary effect over one prior range (quantile scale), in "
                                  "standard deviations of the statistic over the design; weighted mean over the "
                                  "spec's statistics"
                                : "ST: Sobol' total index (share of the statistic's variance the parameter takes "
                                  "part in); weighted mean over the spec's statistics");
}

void write_csv(const SensitivityStudy& s, const std::string& path) {
  CsvWriter csv({"method", "parameter", "statistic", "weight", "mu", "mu_star", "sigma", "output_sd", "first",
                 "first_low", "first_high", "total", "total_low", "total_high"});
  const auto cell = [](double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); };
  for (const auto& x : s.indices)
    csv.row(to_string(s.options.method), s.factors[x.factor], s.statistics[x.statistic], s.weights[x.statistic],
            cell(x.mu), cell(x.mu_star), cell(x.sigma), cell(x.output_sd), cell(x.first), cell(x.first_low),
            cell(x.first_high), cell(x.total), cell(x.total_low), cell(x.total_high));
  write_text_file(path, csv.text());
}

}  // namespace

void register_sensitivity_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string spec, method = "morris", csv, output;
    std::vector<std::string> what_ifs;
    bool all_parameters = false;
    SensitivityOptions study;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("sensitivity", "Global sensitivity of a calibration spec's statistics to its parameters");
  cmd->add_option("spec", opts->spec, "Calibration spec (TOML): its free parameters vary over their priors")
      ->required();
  cmd->add_option("--method", opts->method, "morris (screening, default) or sobol (first-order and total indices)")
      ->check(CLI::IsMember({"morris", "sobol"}));
  cmd->add_option("--trajectories", opts->study.trajectories, "Morris trajectories (default 20)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--levels", opts->study.levels, "Morris grid levels, even (default 4)")
      ->check(CLI::Range(2, 100))
      ->check([](const std::string& v) { return std::stoul(v) % 2 == 0 ? std::string() : "must be even"; });
  cmd->add_option("--samples", opts->study.base_samples,
                  "Sobol' base samples N: N x (parameters + 2) points (default 256)")
      ->check(CLI::Range(2, 10000000));
  cmd->add_option("--bootstrap", opts->study.bootstrap, "Sobol' bootstrap resamples for the intervals (default 200)")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--replicates", opts->study.replicates, "Model replicates averaged per design point (default 1)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", opts->study.seed, "Seed of the design and the model (default: the spec's seed)");
  cmd->add_option("--threads", opts->study.threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  cmd->add_flag("--log", opts->study.log_outputs,
                "Analyse log(1 + y) of every output that is never negative over the design (counts, shares)");
  cmd->add_flag("--all-parameters", opts->all_parameters,
                "Vary every model parameter, not only the spec's free ones (those outside the spec by a factor of 2 "
                "around their defaults; docs/sensitivity.md)");
  cmd->add_option("--scenario", opts->what_ifs,
                  "A what-if scenario (repeatable): its paired differences from the spec's scenario become outputs")
      ->check(CLI::ExistingFile);
  cmd->add_option("--csv", opts->csv, "Write one row per parameter and output to this CSV file");
  cmd->add_option("-o,--output", opts->output, "Result file (netCDF-4/HDF5; default: results/<spec name>_<method>.h5)");
  cmd->callback([&global, &action, opts, cmd] {
    action = [&global, opts, cmd] {
      const auto data = load_observed_data(resolve_data_dir(global));
      const auto cal = load_calibration(opts->spec, data, default_parameters_path());
      auto o = opts->study;
      o.method = opts->method == "sobol" ? SensitivityMethod::sobol : SensitivityMethod::morris;
      if (cmd->count("--seed") == 0) o.seed = cal.spec.options.seed;
      auto factors = cal.spec.parameters;
      auto keys = cal.keys;
      auto priors = cal.priors;
      if (opts->all_parameters)
        for (const auto& ps : parameter_specs()) {
          if (std::find(keys.begin(), keys.end(), ps.key) != keys.end()) continue;
          const auto prior = default_range_prior(ps, cal.config.parameters.*(ps.field));
          factors.push_back({&ps, prior});
          keys.emplace_back(ps.key);
          priors.push_back(prior);
        }
      std::vector<WhatIf> what_ifs;
      for (const auto& path : opts->what_ifs)
        what_ifs.push_back({std::filesystem::path(path).stem().string(),
                            load_model_config(path, data.geography, default_parameters_path())});
      const SensitivitySimulator simulate(data.geography, cal.config, std::move(what_ifs), factors, cal.names,
                                          cal.spec.statistics, o.seed, cal.spec.focal);
      // The spec's weights for its statistics; 1 for each what-if answer.
      auto weights = cal.spec.weights;
      weights.resize(simulate.output_names().size(), 1.0);
      spdlog::info("sensitivity of {}: {} over {} parameters and {} outputs", cal.spec.title, to_string(o.method),
                   keys.size(), simulate.output_names().size());
      StopSignals signals;
      const auto t0 = std::chrono::steady_clock::now();
      const auto study = run_sensitivity_study(
          keys, priors, simulate.output_names(), weights, o, std::cref(simulate),
          [&](std::size_t done, std::size_t total) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            spdlog::info("{}/{} design points, elapsed {}", done, total, format_duration(elapsed));
          },
          signals.flag());
      if (study.interrupted) {
        spdlog::warn("interrupted: no indices written");
        return signals.exit_code();
      }
      print_ranking(study);
      const auto spec_name = std::filesystem::path(opts->spec).stem().string();
      const std::filesystem::path output =
          opts->output.empty()
              ? std::filesystem::path("results") / fmt::format("{}_{}.h5", spec_name, to_string(o.method))
              : std::filesystem::path(opts->output);
      if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
      write_sensitivity_file(output, study, cal.spec.title,
                             fmt::format("iskabm sensitivity {} --method {}",
                                         std::filesystem::path(opts->spec).filename().string(), to_string(o.method)),
                             read_text_file(opts->spec));
      fmt::print("wrote {}\n", output.string());
      if (!opts->csv.empty()) write_csv(study, opts->csv);
      return 0;
    };
  });
}

}  // namespace iskabm::app
