// `iskabm sensitivity SPEC.toml`: global sensitivity of a calibration spec's statistics to its free
// parameters (Morris screening or Sobol' indices; calibration/sensitivity_study.hpp), resumable and
// MPI-capable like `calibrate` (session/sensitivity_session.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/csv_writer.hpp"
#include "base/text_file.hpp"
#include "calibration/sensitivity_study.hpp"
#include "session/sensitivity_session.hpp"

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
    bool all_parameters = false, resume = false;
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
  cmd->add_option("--seed", opts->study.seed,
                  "Seed of the design and the model, 1 to 2^64-1 (default: the spec's seed)")
      ->check(whole_number(1, max_seed));
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
  cmd->add_flag("--resume", opts->resume, "Continue the study checkpointed in the output file");
  cmd->add_option("--csv", opts->csv, "Write one row per parameter and output to this CSV file");
  cmd->add_option("-o,--output", opts->output, "Result file (netCDF-4/HDF5; default: results/<spec name>_<method>.h5)");
  cmd->callback([&global, &action, opts, cmd] {
    action = [&global, opts, cmd] {
      auto inputs = spec_inputs(opts->spec);
      inputs.insert(inputs.end(), opts->what_ifs.begin(), opts->what_ifs.end());
      inputs.push_back(resolve_data_dir(global));
      check_outputs({{opts->output, TargetKind::file, "-o"}, {opts->csv, TargetKind::file, "--csv"}}, inputs);
      SensitivityRequest request{.spec = opts->spec,
                                 .output = opts->output,
                                 .what_ifs = {opts->what_ifs.begin(), opts->what_ifs.end()},
                                 .all_parameters = opts->all_parameters,
                                 .resume = opts->resume,
                                 .seed_given = cmd->count("--seed") > 0,
                                 .options = opts->study};
      request.options.method = opts->method == "sobol" ? SensitivityMethod::sobol : SensitivityMethod::morris;
      const auto outcome = run_sensitivity_session(resolve_data_dir(global), request);
      if (outcome.worker || outcome.interrupted) return outcome.exit_code;
      print_ranking(outcome.study);
      fmt::print("wrote {}\n", outcome.output.string());
      if (!opts->csv.empty()) write_csv(outcome.study, opts->csv);
      return 0;
    };
  });
}

}  // namespace iskabm::app
