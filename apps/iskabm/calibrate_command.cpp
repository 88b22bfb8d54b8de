// `iskabm calibrate SPEC.toml -o POSTERIOR.h5 [--threads N] [--resume]`: ABC-SMC of a scenario's
// parameters against the observed record; the posterior file is rewritten whole after every
// generation, so it is both the result and the checkpoint (docs/calibration.md).
// Under `mpirun -np N` (built with ISKABM_MPI), rank 0 runs the calibration and the other ranks
// only simulate (calibration/mpi_workers.hpp); the file is the same as a single process's.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "base/quantile.hpp"
#include "base/csv_writer.hpp"
#include "apps/iskabm/commands.hpp"
#include "session/stop_signals.hpp"
#include "calibration/abc_smc.hpp"
#include "calibration/calibration_spec.hpp"
#include "calibration/coverage_study.hpp"
#include "calibration/loaded_calibration.hpp"
#include "calibration/model_simulator.hpp"
#ifdef ISKABM_HAVE_MPI
#include "calibration/mpi_workers.hpp"
#endif
#include "calibration/posterior_file.hpp"
#include "ensemble/progress.hpp"
#include "iskabm/build_info.hpp"
#include "base/errors.hpp"
#include "io/observed_data.hpp"
#include "statistics/summary_statistics.hpp"
#include "model/world.hpp"
#include "base/text_file.hpp"

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

#ifdef ISKABM_HAVE_MPI
// An MPI worker rank: builds the same simulator as rank 0, then simulates what rank 0 sends until
// it says stop. It writes nothing; its set-up errors are reported by rank 0.
int calibrate_worker(const GlobalOptions& global, const std::string& spec_path, int threads_option) {
  if (spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  try {
    const auto data = load_observed_data(resolve_data_dir(global));
    const auto cal = load_calibration(spec_path, data, default_parameters_path());
    const int threads = threads_option > 0 ? threads_option : cal.spec.options.threads;
    const auto simulate = cal.simulator(data.geography, cal.spec.options.seed);
    // Slurm signals every task: a worker keeps simulating until rank 0 (which checkpoints) says stop.
    const StopSignals ignored;
    return mpi::run_worker(std::cref(simulate), threads);
  } catch (const Error& e) {
    // Rank 0 reports the error and exits with its code. The worker itself exits 0: a non-zero
    // exit would make mpirun kill rank 0, which may not yet have printed the message.
    mpi::report_worker_failure(e.what(), static_cast<int>(e.exit_code()));
    return 0;
  } catch (const std::exception& e) {
    mpi::report_worker_failure(e.what(), static_cast<int>(ExitCode::internal));
    return 0;
  }
}
#endif

}  // namespace

void register_calibrate_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string spec, output, particles;
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
  cmd->add_flag("--print-fingerprint", opts->print_fingerprint,
                "Print the hash of what the calibration depends on (spec, scenario, data, version) and exit");
  cmd->add_flag("-q,--quiet", opts->quiet, "Do not print the posterior tables");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
#ifdef ISKABM_HAVE_MPI
      // MPI only when started by an MPI launcher: a directly started iskabm never touches it.
      std::optional<mpi::Session> session;
      if (mpi::launched_by_mpi()) session.emplace();
      if (session && session->rank() > 0) return calibrate_worker(global, opts->spec, opts->threads);
      // Declared after the session: destroyed first, it stops the workers whatever happens below.
      std::optional<mpi::Master> master;
      if (session) master.emplace(session->size());
#endif
      const auto data = load_observed_data(resolve_data_dir(global));
      const std::filesystem::path spec_path = opts->spec;
      auto cal = load_calibration(spec_path, data, default_parameters_path());
      auto& spec = cal.spec;
      const auto& observed = cal.observed;
      const auto& scenario_toml = cal.scenario_toml;
      if (opts->threads > 0) spec.options.threads = opts->threads;
      if (opts->max_generations > 0) spec.options.max_generations = opts->max_generations;
      if (opts->max_minutes >= 0) spec.options.max_seconds = 60 * opts->max_minutes;
      if (opts->print_fingerprint) {
        fmt::print("{}\n", fingerprint_hash(calibration_fingerprint(spec, scenario_toml, observed, spec.options.seed)));
        return 0;
      }
      const std::filesystem::path output =
          opts->output.empty() ? std::filesystem::path("results") / (spec_path.stem().string() + "_posterior.h5")
                               : std::filesystem::path(opts->output);
      if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());

      CalibrationRecord record;
      record.title = spec.title;
      record.history = fmt::format("iskabm calibrate {}", spec_path.filename().string());
      record.spec_toml = read_text_file(spec_path);
      record.scenario_toml = scenario_toml;
      record.seed = spec.options.seed;
      record.fingerprint = calibration_fingerprint(spec, scenario_toml, observed, spec.options.seed);
      const auto& priors = cal.priors;
      record.parameter_keys = cal.keys;
      record.parameter_units = cal.units;
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

      const auto simulate = cal.simulator(data.geography, spec.options.seed);
      spdlog::info("{}: {} parameter(s), {} statistic(s), population {}, {}", spec.title, spec.parameters.size(),
                   spec.statistics.size(), spec.options.population,
                   spec.options.rejection ? "rejection ABC" : "ABC-SMC");
      StopSignals signals;
      AbcBatchSimulator batch_simulator;
#ifdef ISKABM_HAVE_MPI
      if (master) {
        master->start();
        master->set_stop(signals.flag());
        if (master->workers() > 0) {
          batch_simulator = std::ref(*master);
          // Rank 0 only proposes (cheap): one thread, so that idle TBB threads do not spin beside
          // the workers of its node. The result does not depend on the thread count.
          spec.options.threads = 1;
          spdlog::info("MPI: {} worker rank(s), {} simulation thread(s) in all", master->workers(),
                       master->worker_threads());
        } else {
          spdlog::info("MPI: a single rank; simulating here");
        }
      }
#endif
      AbcSmc smc(priors, observed, spec.weights, spec.options, std::cref(simulate), batch_simulator);
      record.generations = resume_from;
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
      if (!opts->particles.empty() && !record.generations.empty()) write_posterior_particles(opts->particles, record);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      bool under_mpi = false;
#ifdef ISKABM_HAVE_MPI
      if (master && master->workers() > 0) {
        under_mpi = true;
        const auto& t = master->timers();
        const double n = static_cast<double>(std::max<std::uint64_t>(t.simulations, 1));
        spdlog::debug("MPI: {} simulations in {} chunks, {:.3f} s ({:.1f}/s); rank 0 CPU per simulation: {:.1f} us "
                      "({:.1f} us handing out and collecting, {:.1f} us proposals, acceptance and checkpoints); "
                      "{:.3f} s waiting in batches",
                      t.simulations, t.chunks, s, static_cast<double>(t.simulations) / std::max(s, 1e-9),
                      1e6 * (t.batch_cpu_seconds + t.outside_cpu_seconds) / n, 1e6 * t.batch_cpu_seconds / n,
                      1e6 * t.outside_cpu_seconds / n, t.batch_wall_seconds);
      } else if (master) {
        under_mpi = true;
      }
#endif
      if (result.stop == AbcStop::interrupted) {
        spdlog::warn("interrupted; {} holds {} complete generation(s): continue with --resume", output.string(),
                     record.generations.size());
        // Under MPI exit 0: the job ended cleanly (Slurm's warning signal), a requeued job resumes.
        return under_mpi ? 0 : signals.exit_code();
      }
      const auto total = record.generations.empty() ? 0 : record.generations.back().simulations_total;
      const auto before = resume_from.empty() ? 0 : resume_from.back().simulations_total;
      spdlog::info("{}: {} after {} ({} simulations, {} in this session at {:.1f}/s); wrote {}", spec.title,
                   record.stop_reason, format_duration(s), total, total - before,
                   static_cast<double>(total - before) / std::max(s, 1e-9), output.string());
      if (!record.generations.empty() && record.generations.back().ess < 0.1 * static_cast<double>(spec.options.population))
        spdlog::warn("the last generation's effective sample size is {:.0f} of {} particles: the posterior rests on a "
                     "few heavily weighted particles ({}a larger population or fewer generations may help)",
                     record.generations.back().ess, spec.options.population,
                     spec.options.kernel == AbcKernel::local ? "[smc] kernel = \"global\", " : "");
      if (!opts->quiet) print_summary(record);
      return 0;
    };
  });
}

void register_coverage_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  struct Options {
    std::string spec, csv;
    std::size_t truths = 20, population = 0, max_generations = 0;
    int threads = 0;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("coverage", "Synthetic-truth coverage study of a calibration spec");
  cmd->add_option("spec", opts->spec, "Calibration spec (TOML)")->required();
  cmd->add_option("--truths", opts->truths, "Synthetic truths drawn from the priors (default 20)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--population", opts->population, "Override the spec's population")->check(CLI::Range(2, 1000000));
  cmd->add_option("--max-generations", opts->max_generations, "Override the spec's max_generations")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--threads", opts->threads, "Worker threads (default: all cores available)")
      ->check(CLI::Range(1, 1024))
      ->envname("ISKABM_THREADS");
  cmd->add_option("--csv", opts->csv, "Write one row per truth and parameter to this CSV file");
  cmd->callback([&global, &action, opts] {
    action = [&global, opts] {
      const auto data = load_observed_data(resolve_data_dir(global));
      auto cal = load_calibration(opts->spec, data, default_parameters_path());
      auto o = cal.spec.options;
      if (opts->threads > 0) o.threads = opts->threads;
      if (opts->population > 0) o.population = opts->population;
      if (opts->max_generations > 0) o.max_generations = opts->max_generations;
      o.max_seconds = 0;  // a wall-clock stop would make the study depend on the machine
      const auto simulate = cal.simulator(data.geography, o.seed);
      spdlog::info("coverage study of {}: {} truths, population {}, up to {} generations", cal.spec.title, opts->truths,
                   o.population, o.max_generations);
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
            spdlog::info("truth {:>3}: {} of {} parameters inside their 90 % interval ({} simulations, {} so far)", t.index,
                         covered, t.truth.size(), t.simulations,
                         format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
          },
          signals.flag());
      if (study.interrupted) {  // only by a signal
        spdlog::warn("interrupted after {} truths", study.truths.size());
        return signals.exit_code();
      }
      fmt::print("synthetic-truth coverage of {}: {} truths ({} scored), population {}, {} generations\n\n",
                 cal.spec.title, study.truths.size(), study.scored(), o.population, o.max_generations);
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
      fmt::print("(coverage: share of scored truths inside the 90 % posterior interval; width: posterior / prior 90 % "
                 "interval; error: |posterior median - truth| / prior 90 % interval width; both on the log scale for "
                 "log-uniform priors)\n");
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
