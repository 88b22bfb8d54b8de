// `iskabm calibrate SPEC.toml -o POSTERIOR.h5 [--threads N] [--resume]`: ABC-SMC of a scenario's
// parameters against the observed record (session/calibration_session.hpp); the posterior file is
// rewritten whole after every generation, so it is both the result and the checkpoint
// (docs/calibration.md). Under `mpirun -np N` (built with ISKABM_MPI), rank 0 runs the
// calibration and the other ranks only simulate; the file is the same as a single process's.
#include <fmt/format.h>

#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "calibration/posterior.hpp"
#include "session/calibration_session.hpp"

namespace iskabm::app {

namespace {

std::string number(double x) {
  if (!std::isfinite(x)) return "-";
  const double a = std::abs(x);
  if (a == 0) return "0";
  if (a >= 1000) return fmt::format("{:.0f}", x);
  if (a >= 0.01) return fmt::format("{:.3g}", x);
  return fmt::format("{:.2e}", x);
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
    std::string spec, output, particles, from_history_match;
    int threads = 0;
    bool resume = false, quiet = false, print_fingerprint = false;
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
  cmd->add_option("--particles", opts->particles,
                  "Also write the posterior particles as CSV (a small text file `run --posterior` reads)");
  cmd->add_option("--from-history-match", opts->from_history_match,
                  "Sample only the non-implausible region of this finished history match of the spec "
                  "(iskabm history-match); without it a spec's [history_match] table runs one first")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--print-fingerprint", opts->print_fingerprint,
                "Print the hash of what the calibration depends on (spec, scenario, data, version) and exit");
  cmd->add_flag("-q,--quiet", opts->quiet, "Do not print the posterior tables");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      auto inputs = spec_inputs(opts->spec);
      inputs.push_back(opts->from_history_match);
      inputs.push_back(resolve_data_dir(global));
      check_outputs({{opts->output, TargetKind::file, "-o"}, {opts->particles, TargetKind::file, "--particles"}},
                    inputs);
      const CalibrationRequest request{.spec = opts->spec,
                                       .output = opts->output,
                                       .particles = opts->particles,
                                       .threads = opts->threads,
                                       .resume = opts->resume,
                                       .max_generations = opts->max_generations,
                                       .max_minutes = opts->max_minutes,
                                       .from_history_match = opts->from_history_match};
      if (opts->print_fingerprint) {
        fmt::print("{}\n", calibration_fingerprint_hash(resolve_data_dir(global), request));
        return 0;
      }
      const auto outcome = run_calibration(resolve_data_dir(global), request);
      if (outcome.worker || outcome.interrupted) return outcome.exit_code;
      if (!opts->quiet) print_summary(outcome.record);
      return outcome.exit_code;
    };
  });
}

}  // namespace iskabm::app
