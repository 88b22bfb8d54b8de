// `iskabm coverage SPEC.toml`: a synthetic-truth coverage study of a calibration spec: truths
// drawn from the priors, each calibrated with the spec's settings from its own simulated data,
// and the share of truths inside their 90 % posterior intervals (docs/calibration.md).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "apps/iskabm/commands.hpp"
#include "base/output_policy.hpp"
#include "base/csv_writer.hpp"
#include "base/quantile.hpp"
#include "base/text_file.hpp"
#include "calibration/coverage_study.hpp"
#include "calibration/loaded_calibration.hpp"
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "session/stop_signals.hpp"

namespace iskabm::app {

void register_coverage_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string spec, csv, design = "latin";
    std::size_t truths = 20, population = 0, max_generations = 0;
    int threads = 0;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("coverage", "Synthetic-truth coverage study of a calibration spec");
  cmd->add_option("spec", opts->spec, "Calibration spec (TOML)")->required();
  cmd->add_option("--truths", opts->truths, "Synthetic truths drawn from the priors (default 20)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--design", opts->design,
                  "How the truths are drawn from the priors: latin (a Latin hypercube in prior quantiles, default) "
                  "or random (independent draws)")
      ->check(CLI::IsMember({"latin", "random"}));
  cmd->add_option("--population", opts->population, "Override the spec's population")->check(CLI::Range(2, 1000000));
  cmd->add_option("--max-generations", opts->max_generations, "Override the spec's max_generations")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  cmd->add_option("--csv", opts->csv, "Write one row per truth and parameter to this CSV file");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      auto inputs = spec_inputs(opts->spec);
      inputs.push_back(resolve_data_dir(global));
      check_outputs({{opts->csv, TargetKind::file, "--csv"}}, inputs);
      const auto data = load_observed_data(resolve_data_dir(global));
      auto cal = load_calibration(opts->spec, data, default_parameters_path());
      auto o = cal.spec.options;
      if (opts->threads > 0) o.threads = opts->threads;
      if (opts->population > 0) o.population = opts->population;
      if (opts->max_generations > 0) o.max_generations = opts->max_generations;
      o.max_seconds = 0;  // a wall-clock stop would make the study depend on the machine
      const auto simulate = cal.simulator(data.geography, o.seed);
      const auto design = opts->design == "random" ? TruthDesign::random : TruthDesign::latin;
      spdlog::info("coverage study of {}: {} truths ({} design), population {}, up to {} generations, {} sampler",
                   cal.spec.title, opts->truths, to_string(design), o.population, o.max_generations,
                   to_string(o.sampler));
      StopSignals signals;
      const auto t0 = std::chrono::steady_clock::now();
      const auto study = run_coverage_study(
          cal.keys, cal.units, cal.priors, cal.spec.weights, o, std::cref(simulate), opts->truths,
          [&](const SyntheticTruth& t) {
            if (!t.scored()) {
              spdlog::warn("truth {:>3}: its calibration produced no generation ({}); not scored", t.index,
                           to_string(t.stop));
              return;
            }
            std::size_t covered = 0;
            for (std::size_t p = 0; p < t.truth.size(); ++p) covered += t.covered(p);
            spdlog::info("truth {:>3}: {} of {} parameters inside their 90 % interval ({} simulations, {} so far)",
                         t.index, covered, t.truth.size(), t.simulations,
                         format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
          },
          signals.flag(), design);
      if (study.interrupted) {  // only by a signal
        spdlog::warn("interrupted after {} truths", study.truths.size());
        return signals.exit_code();
      }
      fmt::print("synthetic-truth coverage of {}: {} truths ({} design, {} scored), population {}, {} generations\n\n",
                 cal.spec.title, study.truths.size(), to_string(design), study.scored(), o.population,
                 o.max_generations);
      fmt::print("{:<34} {:>10} {:>14} {:>14}\n", "parameter", "coverage", "mean width", "median |error|");
      for (std::size_t p = 0; p < study.keys.size(); ++p) {
        std::vector<double> width, error;
        for (const auto& t : study.truths) {
          if (!t.scored()) continue;
          const auto& q = t.posterior[p];
          width.push_back(q.identifiability());
          // On the scale of the identifiability (log for log-uniform priors).
          const auto scale = [&](double x) { return q.log_scale ? std::log(x) : x; };
          error.push_back(std::abs(scale(q.median) - scale(t.truth[p])) / (scale(q.prior_q95) - scale(q.prior_q05)));
        }
        double mean_width = 0;
        for (double w : width) mean_width += w / static_cast<double>(width.size());
        fmt::print("{:<34} {:>10.2f} {:>14.2f} {:>14.2f}\n", study.keys[p], study.coverage(p), mean_width,
                   quantile(error, 0.5));
      }
      fmt::print(
          "(coverage: share of scored truths inside the 90 % posterior interval; width: posterior / prior 90 % "
          "interval; error: |posterior median - truth| / prior 90 % interval width; both on the log scale for "
          "log-uniform priors)\n");
      if (study.scored() > 0 && !study.keys.empty()) {
        double pooled = 0;
        std::size_t inside = 0;
        for (std::size_t p = 0; p < study.keys.size(); ++p) {
          pooled += study.coverage(p) / static_cast<double>(study.keys.size());
          inside += study.coverage(p) >= 0.85 - 1e-9 && study.coverage(p) <= 0.95 + 1e-9;
        }
        fmt::print("\npooled coverage {:.3f} over {} truths x {} parameters (calibrated: 0.90); {} of {} parameters "
                   "within 0.85-0.95\n",
                   pooled, study.scored(), study.keys.size(), inside, study.keys.size());
      }
      if (!opts->csv.empty()) {
        CsvWriter csv({"truth", "parameter", "true_value", "posterior_median", "q05", "q95", "covered", "width",
                       "simulations", "generations", "stop"});
        for (const auto& t : study.truths)
          for (std::size_t p = 0; p < study.keys.size(); ++p) {
            if (!t.scored()) {
              csv.row(t.index, study.keys[p], t.truth[p], "", "", "", "", "", t.simulations, 0, to_string(t.stop));
              continue;
            }
            const auto& q = t.posterior[p];
            csv.row(t.index, study.keys[p], t.truth[p], q.median, q.q05, q.q95, t.covered(p) ? 1 : 0,
                    q.identifiability(), t.simulations, t.generations, to_string(t.stop));
          }
        write_text_file(opts->csv, csv.text());
      }
      return 0;
    };
  });
}

}  // namespace iskabm::app
