// `iskabm calibrate SPEC.toml -o POSTERIOR.h5 [--threads N] [--resume]`: ABC-SMC of a scenario's
// parameters against the observed record; the posterior file is rewritten whole after every
// generation, so it is both the result and the checkpoint (docs/calibration.md).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "apps/iskabm/commands.hpp"
#include "apps/iskabm/stop_signal.hpp"
#include "calibration/abc_smc.hpp"
#include "calibration/calibration_spec.hpp"
#include "calibration/model_simulator.hpp"
#include "calibration/posterior_file.hpp"
#include "ensemble/progress.hpp"
#include "iskabm/build_info.hpp"
#include "model/errors.hpp"
#include "model/observed_data.hpp"
#include "model/summary_statistics.hpp"
#include "model/world.hpp"

namespace iskabm::app {

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw IoError(fmt::format("{}: cannot read", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string number(double x) {
  if (!std::isfinite(x)) return "-";
  const double a = std::abs(x);
  if (a == 0) return "0";
  if (a >= 1000) return fmt::format("{:.0f}", x);
  if (a >= 0.01) return fmt::format("{:.3g}", x);
  return fmt::format("{:.2e}", x);
}

// Everything that determines the sequence of generations: a resumed calibration must have the
// same (the stopping rules may change, e.g. to continue with a larger budget).
std::string fingerprint(const CalibrationSpec& s, const std::string& scenario_toml, const std::vector<double>& observed,
                        std::uint64_t seed) {
  std::string f = fmt::format("seed {}\npopulation {}\ntolerance_quantile {}\nbatch {}\nrejection {}\n", seed,
                              s.options.population, s.options.tolerance_quantile, s.options.batch, s.options.rejection);
  if (s.options.rejection) f += fmt::format("final_tolerance {}\n", s.options.final_tolerance);
  for (const auto& p : s.parameters) f += fmt::format("parameter {} {}\n", p.spec->key, p.prior.describe());
  for (std::size_t j = 0; j < s.statistics.size(); ++j)
    f += fmt::format("statistic {} weight {} observed {}\n", s.statistics[j], s.weights[j], observed[j]);
  f += fmt::format("iskabm {}\n", build_info::version);
  return f + scenario_toml;
}

void print_summary(const CalibrationRecord& r) {
  const auto sum = r.summary();
  fmt::print("\nposterior after {} generation(s), {} simulations ({}):\n", r.generations.size(),
             r.generations.empty() ? 0 : r.generations.back().simulations_total, r.stop_reason);
  fmt::print("{:<34} {:<8} {:>10} {:>10} {:>10} {:>10}   {:>10} {:>10} {:>8}\n", "parameter", "unit", "mean", "median",
             "5%", "95%", "prior 5%", "prior 95%", "width");
  for (const auto& p : sum)
    fmt::print("{:<34} {:<8} {:>10} {:>10} {:>10} {:>10}   {:>10} {:>10} {:>8}\n", p.key, p.unit, number(p.mean),
               number(p.median), number(p.q05), number(p.q95), number(p.prior_q05), number(p.prior_q95),
               fmt::format("{:.2f}", p.identifiability()));
  fmt::print("(width: posterior / prior 90 % interval; near 1 the data do not identify the parameter)\n");
  if (r.generations.empty()) return;
  const auto& g = r.generations.back();
  fmt::print("\n{:<48} {:>10} {:>10} {:>10} {:>10}\n", "statistic", "observed", "median", "5%", "95%");
  for (std::size_t j = 0; j < r.statistic_names.size(); ++j) {
    std::vector<double> x, w;
    for (std::size_t i = 0; i < g.statistics.size(); ++i)
      if (std::isfinite(g.statistics[i][j])) x.push_back(g.statistics[i][j]), w.push_back(g.weight[i]);
    const auto q = [&](double p) { return x.empty() ? std::nan("") : weighted_quantile(x, w, p); };
    fmt::print("{:<48} {:>10} {:>10} {:>10} {:>10}\n", r.statistic_names[j], number(r.observed[j]), number(q(0.5)),
               number(q(0.05)), number(q(0.95)));
  }
}

}  // namespace

void register_calibrate_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string spec, output;
    int threads = 0;
    bool resume = false, quiet = false;
    std::size_t max_generations = 0;
    double max_minutes = -1;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("calibrate", "Calibrate a scenario's parameters to the observed record (ABC-SMC)");
  cmd->add_option("spec", opts->spec, "Calibration spec (TOML; e.g. calibration/default.toml)")->required();
  cmd->add_option("-o,--output", opts->output, "Posterior file (default: results/<spec name>_posterior.h5)");
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  cmd->add_flag("--resume", opts->resume, "Continue after the last complete generation in the output file");
  cmd->add_option("--max-generations", opts->max_generations, "Override the spec's max_generations")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--max-minutes", opts->max_minutes, "Override the spec's wall-clock limit (0: none)")
      ->check(CLI::Range(0.0, 1e7));
  cmd->add_flag("-q,--quiet", opts->quiet, "Do not print the posterior tables");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      const auto data = load_observed_data(resolve_data_dir(global));
      const std::filesystem::path spec_path = opts->spec;
      const auto scenario_path = calibration_scenario(spec_path);
      auto config = load_model_config(scenario_path, data.geography, default_parameters_path());
      if (const auto end = calibration_window_end(spec_path)) {
        const auto day = to_day_number(*end);
        if (day <= config.start || day > config.end)
          throw DataError(spec_path.string(), 0, 0, "window_end",
                          fmt::format("{} is outside the scenario's window", to_iso_string(*end)));
        config.end = day;  // the statistics (and their names) cover the scenario up to window_end
      }
      const auto scenario_toml = resolved_toml(config, data.geography);
      const auto world = make_world(data.geography, config);
      const auto names = summary_statistic_names(world);
      auto spec = load_calibration_spec(spec_path, names);
      if (opts->threads > 0) spec.options.threads = opts->threads;
      if (opts->max_generations > 0) spec.options.max_generations = opts->max_generations;
      if (opts->max_minutes >= 0) spec.options.max_seconds = 60 * opts->max_minutes;
      const auto all_observed = observed_summary_statistics(world, data);
      std::vector<double> observed;
      for (const auto& n : spec.statistics)
        observed.push_back(all_observed[static_cast<std::size_t>(std::find(names.begin(), names.end(), n) - names.begin())]);
      const std::filesystem::path output =
          opts->output.empty() ? std::filesystem::path("results") / (spec_path.stem().string() + "_posterior.h5")
                               : std::filesystem::path(opts->output);
      if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());

      CalibrationRecord record;
      record.title = spec.title;
      record.history = fmt::format("iskabm calibrate {}", spec_path.filename().string());
      record.spec_toml = read_text(spec_path);
      record.scenario_toml = scenario_toml;
      record.seed = spec.options.seed;
      record.fingerprint = fingerprint(spec, scenario_toml, observed, spec.options.seed);
      std::vector<Prior> priors;
      for (const auto& p : spec.parameters) {
        record.parameter_keys.emplace_back(p.spec->key);
        record.parameter_units.emplace_back(p.spec->unit);
        priors.push_back(p.prior);
      }
      record.priors = priors;
      record.statistic_names = spec.statistics;
      record.observed = observed;
      record.statistic_weights = spec.weights;

      std::error_code ec;
      std::vector<Generation> resume_from;
      if (opts->resume && std::filesystem::exists(output, ec)) {
        auto previous = read_posterior_file(output);
        if (previous.fingerprint != record.fingerprint)
          throw UsageError(fmt::format(
              "--resume: {} was made by a different calibration (spec, scenario, data or iskabm version differ); "
              "run without --resume to start afresh",
              output.string()));
        resume_from = std::move(previous.generations);
        spdlog::info("resuming after generation {} ({} simulations so far)",
                     resume_from.empty() ? 0 : resume_from.back().index,
                     resume_from.empty() ? 0 : resume_from.back().simulations_total);
      } else if (opts->resume) {
        spdlog::warn("--resume: {} does not exist; starting from the beginning", output.string());
      } else if (std::filesystem::exists(output, ec)) {
        spdlog::warn("{} exists and will be replaced (use --resume to continue it instead)", output.string());
      }

      const ModelSimulator simulate(data.geography, config, spec.parameters, names, spec.statistics, spec.options.seed);
      spdlog::info("{}: {} parameter(s), {} statistic(s), population {}, {}", spec.title, spec.parameters.size(),
                   spec.statistics.size(), spec.options.population,
                   spec.options.rejection ? "rejection ABC" : "ABC-SMC");
      AbcSmc smc(priors, observed, spec.weights, spec.options, std::cref(simulate));
      record.generations = resume_from;
      StopSignals signals;
      const auto t0 = std::chrono::steady_clock::now();
      const auto result = smc.run(
          [&](const Generation& g) {
            record.generations.push_back(g);
            record.status = "running";
            write_posterior_file(output, record);
            spdlog::info("generation {:>2}: tolerance {:.4g}, acceptance {:.3f}, ESS {:.0f}, {} simulations ({} in all), {}",
                         g.index, g.tolerance, g.acceptance_rate, g.ess, g.simulations, g.simulations_total,
                         format_duration(g.seconds));
          },
          signals.flag(), resume_from);
      record.generations = result.generations;
      record.stop_reason = std::string(to_string(result.stop));
      record.status = result.stop == AbcStop::interrupted ? "interrupted" : "finished";
      write_posterior_file(output, record);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (result.stop == AbcStop::interrupted) {
        spdlog::warn("interrupted; {} holds {} complete generation(s): continue with --resume", output.string(),
                     record.generations.size());
        return signals.exit_code();
      }
      spdlog::info("{}: {} after {} ({} simulations, {:.1f}/s); wrote {}", spec.title, record.stop_reason,
                   format_duration(s), record.generations.empty() ? 0 : record.generations.back().simulations_total,
                   static_cast<double>(record.generations.empty() ? 0 : record.generations.back().simulations_total) /
                       std::max(s, 1e-9),
                   output.string());
      if (!opts->quiet) print_summary(record);
      return 0;
    };
  });
}

}  // namespace iskabm::app
