#include "session/calibration_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/text_file.hpp"
#include "calibration/abc_smc.hpp"
#include "calibration/loaded_calibration.hpp"
#ifdef ISKABM_HAVE_MPI
#include "calibration/mpi_workers.hpp"
#include "session/mpi_worker_rank.hpp"
#endif
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "session/history_match_session.hpp"
#include "session/paths.hpp"
#include "session/stop_signals.hpp"

namespace iskabm {

namespace {

LoadedCalibration load(const ObservedData& data, const CalibrationRequest& request) {
  auto cal = load_calibration(request.spec, data, default_parameters_path());
  auto& o = cal.spec.options;
  if (request.threads > 0) o.threads = request.threads;
  if (request.max_generations > 0) o.max_generations = request.max_generations;
  if (request.max_minutes >= 0) o.max_seconds = 60 * request.max_minutes;
  return cal;
}

#ifdef ISKABM_HAVE_MPI
// An MPI worker rank: builds the same simulator as rank 0, then simulates what rank 0 sends until
// it says stop. It writes nothing; its set-up errors are reported by rank 0.
int calibrate_worker(const std::filesystem::path& data_dir, const CalibrationRequest& request) {
  return serve_as_mpi_worker([&] {
    const auto data = load_observed_data(data_dir);
    const auto cal = load_calibration(request.spec, data, default_parameters_path());
    const int threads = request.threads > 0 ? request.threads : cal.spec.options.threads;
    const auto simulate = cal.simulator(data.geography, cal.spec.options.seed);
    return mpi::run_worker(std::cref(simulate), threads);
  });
}
#endif

// The history match bounding the calibration: the spec's [history_match] table, threads as the
// calibration's.
HistoryMatchSpec history_match_of(const LoadedCalibration& cal) {
  auto h = *cal.spec.history_match;
  h.options.threads = cal.spec.options.threads;
  return h;
}

// What determines the calibration: its spec and data, and the history match bounding it.
std::string full_fingerprint(const LoadedCalibration& cal, const CalibrationRequest& request) {
  const auto base = calibration_fingerprint(cal.spec, cal.scenario_toml, cal.observed, cal.spec.options.seed);
  if (!request.from_history_match.empty()) {
    const auto hm = read_history_match_file(request.from_history_match);
    return bounded_calibration_fingerprint(base, hm.fingerprint, hm.options.waves);
  }
  if (cal.spec.history_match) {
    const auto h = history_match_of(cal);
    return bounded_calibration_fingerprint(base, history_match_fingerprint(cal, h), h.options.waves);
  }
  return base;
}

std::filesystem::path history_match_beside(const std::filesystem::path& output) {
  auto stem = output.stem().string();
  if (stem.ends_with("_posterior")) stem.resize(stem.size() - std::string_view("_posterior").size());
  return output.parent_path() / (stem + "_history_match.h5");
}

}  // namespace

std::string calibration_fingerprint_hash(const std::filesystem::path& data_dir, const CalibrationRequest& request) {
  const auto data = load_observed_data(data_dir);
  const auto cal = load(data, request);
  return fingerprint_hash(full_fingerprint(cal, request));
}

CalibrationOutcome run_calibration(const std::filesystem::path& data_dir, const CalibrationRequest& request) {
  CalibrationOutcome outcome;
#ifdef ISKABM_HAVE_MPI
  // MPI only when started by an MPI launcher: a directly started iskabm never touches it.
  std::optional<mpi::Session> session;
  if (mpi::launched_by_mpi()) session.emplace();
  if (session && session->rank() > 0) {
    outcome.worker = true;
    outcome.exit_code = calibrate_worker(data_dir, request);
    return outcome;
  }
  // Declared after the session: destroyed first, it stops the workers whatever happens below.
  std::optional<mpi::Master> master;
  if (session) master.emplace(session->size());
#endif
  const auto data = load_observed_data(data_dir);
  auto cal = load(data, request);
  auto& spec = cal.spec;
  const auto& observed = cal.observed;
  const auto& spec_path = request.spec;
  const std::filesystem::path output =
      request.output.empty() ? std::filesystem::path("results") / (spec_path.stem().string() + "_posterior.h5")
                             : request.output;
  outcome.output = output;
  outcome.population = spec.options.population;
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  // Held for the whole calibration (each generation rewrites the file): a second calibration
  // into the same output is refused at once.
  const OutputLock lock(output);

  auto& record = outcome.record;
  record.title = spec.title;
  record.history = fmt::format("iskabm calibrate {}", spec_path.filename().string());
  record.spec_toml = read_text_file(spec_path);
  record.scenario_toml = cal.scenario_toml;
  record.seed = spec.options.seed;
  record.fingerprint = full_fingerprint(cal, request);
  record.parameter_keys = cal.keys;
  record.parameter_units = cal.units;
  record.statistic_names = spec.statistics;
  record.observed = observed;
  record.statistic_weights = spec.weights;

  std::error_code ec;
  std::vector<Generation> resume_from;
  if (request.resume && std::filesystem::exists(output, ec)) {
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
  } else if (request.resume) {
    spdlog::warn("--resume: {} does not exist; starting from the beginning", output.string());
  } else if (std::filesystem::exists(output, ec)) {
    spdlog::warn("{} exists and will be replaced (use --resume to continue it instead)", output.string());
  }

  StopSignals signals;
  AbcBatchSimulator batch_simulator;
  RunBatchSimulator run_batch;  // the history match's runs
#ifdef ISKABM_HAVE_MPI
  if (master) {
    master->start();
    master->set_stop(signals.flag());
    if (master->workers() > 0) {
      batch_simulator = std::ref(*master);
      run_batch = simulate_on_workers(*master);
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
  // The history match first: ABC-SMC then samples only its non-implausible region.
  if (!request.from_history_match.empty()) {
    const auto hm = read_history_match_file(request.from_history_match);
    cal.priors = priors_bounded_by(cal, hm, request.from_history_match);
    spec.options.initial_population = hm.non_implausible_values();
    spdlog::info("ABC-SMC within the non-implausible region of {}, from its {} non-implausible points",
                 request.from_history_match.string(), spec.options.initial_population.size());
  } else if (spec.history_match) {
    const auto file = history_match_beside(output);
    const auto hm = match_history(data.geography, cal, history_match_of(cal), file,
                                  fmt::format("iskabm calibrate {}", spec_path.filename().string()), signals.flag(),
                                  run_batch);
    if (hm.status == "interrupted") {
      spdlog::warn("interrupted during the history match; {} holds {} complete wave(s): run the same command to "
                   "continue",
                   file.string(), hm.waves.size());
      outcome.interrupted = true;
      outcome.exit_code = signals.exit_code();
      return outcome;
    }
    cal.priors = priors_bounded_by(cal, hm, file);
    spec.options.initial_population = hm.non_implausible_values();
    std::uint64_t sims = 0;
    for (const auto& w : hm.waves) sims += w.simulations;
    spdlog::info("history match: {} simulations; ABC-SMC within its region ({}), from its {} non-implausible points",
                 sims, file.string(), spec.options.initial_population.size());
  }
  for (std::size_t i = 0; i < cal.priors.size(); ++i) spec.parameters[i].prior = cal.priors[i];
  record.priors = cal.priors;

  const auto simulate = cal.simulator(data.geography, spec.options.seed);
  spdlog::info("{}: {} parameter(s), {} statistic(s), population {}, {}", spec.title, spec.parameters.size(),
               spec.statistics.size(), spec.options.population, spec.options.rejection                          ? "rejection ABC"
               : spec.options.sampler == AbcSampler::mcmc ? "ABC-SMC with Metropolis moves"
                                                          : "ABC-SMC");
  AbcSmc smc(cal.priors, observed, spec.weights, spec.options, std::cref(simulate), batch_simulator);
  // Progress within a generation: a bar on a terminal, a line every 5 % (at most every 5 s, at
  // least every 30 s) otherwise; none with -q.
  const bool terminal = ::isatty(2) && spdlog::should_log(spdlog::level::info);
  std::optional<Progress> progress;
  std::pair<std::size_t, std::uint64_t> shown{SIZE_MAX, 0};  // (generation, total) of the bar
  smc.on_progress([&](std::size_t generation, std::uint64_t done, std::uint64_t total, std::uint64_t simulations) {
    if (!spdlog::should_log(spdlog::level::info)) return;
    const bool moves = spec.options.sampler == AbcSampler::mcmc && generation > 0 && !spec.options.rejection;
    if (progress && shown.first == generation && total > shown.second) {
      progress->extend(total);  // steps added within the generation (min_jump): one bar still
      shown.second = total;
    } else if (shown != std::pair{generation, total}) {
      if (progress) progress->finish();
      progress.emplace(fmt::format("generation {}, {}", generation, moves ? "Metropolis moves" : "accepted particles"),
                       total, terminal);
      shown = {generation, total};
    }
    const double accepted = simulations ? 100.0 * static_cast<double>(done) / static_cast<double>(simulations) : 0.0;
    progress->advance(done, moves ? fmt::format("{} simulations", simulations)
                                  : fmt::format("{} simulations, acceptance {:.3g} %", simulations, accepted));
  });
  record.generations = resume_from;
  const auto t0 = std::chrono::steady_clock::now();
  const auto result = smc.run(
      [&](const Generation& g) {
        if (progress) progress->finish(), progress.reset(), shown = {SIZE_MAX, 0};
        record.generations.push_back(g);
        record.status = "running";
        write_posterior_file(output, record);
        const bool moved = spec.options.sampler == AbcSampler::mcmc && g.index > 0;
        spdlog::info(
            "generation {:>2}: tolerance {:.4g}, acceptance {:.3f}, {} {:.0f}{}, {} simulations ({} in all), {}",
            g.index, g.tolerance, g.acceptance_rate, moved ? "distinct" : "ESS", g.ess,
            moved ? fmt::format(", median jump {:.2f}", g.median_jump) : std::string(), g.simulations,
            g.simulations_total, format_duration(g.seconds));
      },
      signals.flag(), resume_from);
  record.generations = result.generations;
  record.stop_reason = std::string(to_string(result.stop));
  record.status = result.stop == AbcStop::interrupted ? "interrupted" : "finished";
  write_posterior_file(output, record);
  if (!request.particles.empty() && !record.generations.empty()) write_posterior_particles(request.particles, record);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bool under_mpi = false;
#ifdef ISKABM_HAVE_MPI
  if (master && master->workers() > 0) {
    under_mpi = true;
    const auto& t = master->timers();
    const double n = static_cast<double>(std::max<std::uint64_t>(t.simulations, 1));
    spdlog::debug(
        "MPI: {} simulations in {} chunks, {:.3f} s ({:.1f}/s); rank 0 CPU per simulation: {:.1f} us "
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
    outcome.interrupted = true;
    // Under MPI exit 0: the job ended cleanly (Slurm's warning signal), a requeued job resumes.
    outcome.exit_code = under_mpi ? 0 : signals.exit_code();
    return outcome;
  }
  const auto total = record.generations.empty() ? 0 : record.generations.back().simulations_total;
  const auto before = resume_from.empty() ? 0 : resume_from.back().simulations_total;
  spdlog::info("{}: {} after {} ({} simulations, {} in this session at {:.1f}/s); wrote {}", spec.title,
               record.stop_reason, format_duration(s), total, total - before,
               static_cast<double>(total - before) / std::max(s, 1e-9), output.string());
  if (!record.generations.empty() && spec.options.sampler == AbcSampler::importance &&
      record.generations.back().ess < 0.1 * static_cast<double>(spec.options.population))
    spdlog::warn(
        "the last generation's effective sample size is {:.0f} of {} particles: the posterior rests on a "
        "few heavily weighted particles ({}a larger population or fewer generations may help)",
        record.generations.back().ess, spec.options.population,
        spec.options.kernel == AbcKernel::local ? "[smc] kernel = \"global\", " : "");
  return outcome;
}

}  // namespace iskabm
