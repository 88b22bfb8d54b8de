#include "session/history_match_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/text_file.hpp"
#include "calibration/posterior_file.hpp"
#ifdef ISKABM_HAVE_MPI
#include "calibration/mpi_workers.hpp"
#include "session/mpi_worker_rank.hpp"
#endif
#include "ensemble/progress.hpp"
#include "io/observed_data.hpp"
#include "session/paths.hpp"
#include "session/stop_signals.hpp"

namespace iskabm {

std::filesystem::path default_history_match_path(const std::filesystem::path& spec) {
  return std::filesystem::path("results") / (spec.stem().string() + "_history_match.h5");
}

HistoryMatchRecord match_history(const Geography& geo, const LoadedCalibration& cal, const HistoryMatchSpec& h,
                                 const std::filesystem::path& output, const std::string& history,
                                 const std::atomic<bool>* stop, const RunBatchSimulator& batch) {
  HistoryMatchRecord record;
  record.title = cal.spec.title;
  record.history = history;
  record.spec_toml = read_text_file(cal.spec.source);
  record.fingerprint = history_match_fingerprint(cal, h);
  record.options = h.options;
  record.parameter_keys = cal.keys;
  record.statistic_names = cal.spec.statistics;
  record.priors = cal.priors;
  record.terms = implausibility_terms(cal, h);

  std::vector<HistoryMatchWave> resume_from;
  std::error_code ec;
  if (output.has_parent_path()) std::filesystem::create_directories(output.parent_path());
  const OutputLock lock(output);  // held across the waves: one writer at a time
  if (std::filesystem::exists(output, ec)) {
    try {
      auto previous = read_history_match_file(output);
      if (previous.fingerprint == record.fingerprint) {
        resume_from = std::move(previous.waves);
        if (!resume_from.empty())
          spdlog::info("history match: continuing {} after its {} complete wave(s)", output.string(),
                       resume_from.size());
      } else {
        spdlog::warn("{} holds another history match (spec, settings, data or version differ); it will be replaced",
                     output.string());
      }
    } catch (const Error& e) {
      spdlog::warn("{} is not a readable history-match file ({}); it will be replaced", output.string(), e.what());
    }
  }
  const auto simulate = cal.simulator(geo, cal.spec.options.seed);
  const auto& o = h.options;
  spdlog::info("history match of {}: {} parameter(s), {} statistic(s), {} wave(s) of {} points x {} replicates, "
               "cut-off {} on the {} implausibility",
               cal.spec.title, cal.keys.size(), cal.spec.statistics.size(), o.waves, o.points, o.replicates, o.cutoff,
               implausibility_rank_name(o.rank));
  record.waves = resume_from;
  const auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  const auto result = run_history_match(
      cal.priors, record.terms, o, std::cref(simulate),
      [&](const HistoryMatchWave& w) {
        record.waves.push_back(w);
        record.status = "running";
        write_history_match_file(output, record);
        double kept = 1;
        for (std::size_t i = 0; i < w.next_lower.size(); ++i) kept *= w.next_upper[i] - w.next_lower[i];
        spdlog::info("wave {}: {:.1f} % of {} points non-implausible; region ~{:.3g} of the prior; next box {:.3g} of "
                     "it; {} simulations, {}",
                     w.index, 100 * w.non_implausible_fraction, w.design.size(), w.region_fraction, kept,
                     w.simulations, format_duration(w.seconds));
      },
      [&](std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - last_report).count() < 10 && done < total) return;
        last_report = now;
        spdlog::info("  {}/{} points, elapsed {}", done, total,
                     format_duration(std::chrono::duration<double>(now - t0).count()));
      },
      stop, resume_from, batch);
  record.waves = result.waves;
  record.status = result.interrupted ? "interrupted" : result.exhausted ? "exhausted" : "finished";
  write_history_match_file(output, record);
  return record;
}

std::vector<Prior> priors_bounded_by(const LoadedCalibration& cal, const HistoryMatchRecord& r,
                                     const std::filesystem::path& file) {
  const auto base = calibration_problem_fingerprint(cal.spec, cal.scenario_toml, cal.observed);
  if (!r.fingerprint.starts_with(base))
    throw DataError(file.string(), 0, 0, "",
                    "was made for another calibration (spec, scenario, data or iskabm version differ): run iskabm "
                    "history-match on this spec");
  if (r.status == "exhausted")
    throw DataError(file.string(), 0, 0, "",
                    fmt::format("wave {} found no non-implausible point: under the declared discrepancy the model "
                                "cannot match the record anywhere in the box; raise discrepancy_fraction (or a "
                                "statistic's discrepancy_sd) or question the model before calibrating",
                                r.waves.empty() ? 0 : r.waves.back().index));
  if (r.status != "finished")
    throw DataError(file.string(), 0, 0, "",
                    fmt::format("the history match is {} after {} wave(s): run iskabm history-match again to finish it",
                                r.status, r.waves.size()));
  return bounded_priors(cal.priors, r.lower(), r.upper());
}

HistoryMatchOutcome run_history_match_session(const std::filesystem::path& data_dir, const HistoryMatchRequest& req) {
  HistoryMatchOutcome outcome;
#ifdef ISKABM_HAVE_MPI
  std::optional<mpi::Session> session;
  if (mpi::launched_by_mpi()) session.emplace();
  if (session && session->rank() > 0) {
    // A worker: the calibration's simulator, as rank 0 builds it.
    outcome.worker = true;
    outcome.exit_code = serve_as_mpi_worker([&] {
      const auto data = load_observed_data(data_dir);
      const auto cal = load_calibration(req.spec, data, default_parameters_path());
      const auto simulate = cal.simulator(data.geography, cal.spec.options.seed);
      return mpi::run_worker(std::cref(simulate), req.threads);
    });
    return outcome;
  }
  std::optional<mpi::Master> master;  // destroyed before the session: stops the workers
  if (session) master.emplace(session->size());
#endif
  const auto data = load_observed_data(data_dir);
  const auto cal = load_calibration(req.spec, data, default_parameters_path());
  HistoryMatchSpec h = cal.spec.history_match.value_or(HistoryMatchSpec{});
  if (!cal.spec.history_match) h.options.seed = cal.spec.options.seed;
  if (req.waves > 0) h.options.waves = req.waves;
  if (req.points > 0) h.options.points = req.points;
  if (req.replicates > 0) h.options.replicates = req.replicates;
  if (req.cutoff > 0) h.options.cutoff = req.cutoff;
  h.options.threads = req.threads;
  outcome.output = req.output.empty() ? default_history_match_path(req.spec) : req.output;
  StopSignals signals;
  RunBatchSimulator batch;
#ifdef ISKABM_HAVE_MPI
  if (master) {
    master->start();
    master->set_stop(signals.flag());
    if (master->workers() > 0) {
      batch = simulate_on_workers(*master);
      spdlog::info("MPI: {} worker rank(s), {} simulation thread(s) in all", master->workers(),
                   master->worker_threads());
    }
  }
#endif
  const auto t0 = std::chrono::steady_clock::now();
  outcome.record = match_history(data.geography, cal, h, outcome.output,
                                 fmt::format("iskabm history-match {}", req.spec.filename().string()), signals.flag(),
                                 batch);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (outcome.record.status == "interrupted") {
    spdlog::warn("interrupted; {} holds {} complete wave(s): run the same command again to continue",
                 outcome.output.string(), outcome.record.waves.size());
    outcome.interrupted = true;
    outcome.exit_code = signals.exit_code();
    return outcome;
  }
  std::uint64_t sims = 0;
  for (const auto& w : outcome.record.waves) sims += w.simulations;
  spdlog::info("history match {} after {} ({} simulations in all); wrote {}", outcome.record.status,
               format_duration(s), sims, outcome.output.string());
  return outcome;
}

}  // namespace iskabm
