#include "session/sensitivity_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "base/errors.hpp"
#include "base/output_lock.hpp"
#include "base/text_file.hpp"
#include "calibration/loaded_calibration.hpp"
#include "calibration/sensitivity_file.hpp"
#include "calibration/sensitivity_simulator.hpp"
#include "config/scenario_loader.hpp"
#ifdef ISKABM_HAVE_MPI
#include "calibration/mpi_workers.hpp"
#include "session/mpi_worker_rank.hpp"
#endif
#include "ensemble/progress.hpp"
#include "iskabm/build_info.hpp"
#include "io/observed_data.hpp"
#include "session/paths.hpp"
#include "session/stop_signals.hpp"

namespace iskabm {

namespace {

// Everything a study's outputs depend on: built the same way on every rank.
struct Study {
  LoadedCalibration cal;
  SensitivityOptions options;
  std::vector<FreeParameter> factors;
  std::vector<std::string> keys;
  std::vector<Prior> priors;
  std::vector<WhatIf> what_ifs;
  std::vector<std::string> what_if_tomls;
};

Study load_study(const ObservedData& data, const SensitivityRequest& r) {
  Study s{load_calibration(r.spec, data, default_parameters_path()), r.options, {}, {}, {}, {}, {}};
  if (!r.seed_given) s.options.seed = s.cal.spec.options.seed;
  s.factors = s.cal.spec.parameters;
  s.keys = s.cal.keys;
  s.priors = s.cal.priors;
  if (r.all_parameters)
    for (const auto& ps : parameter_specs()) {
      if (std::find(s.keys.begin(), s.keys.end(), ps.key) != s.keys.end()) continue;
      const auto prior = default_range_prior(ps, s.cal.config.parameters.*(ps.field));
      s.factors.push_back({&ps, prior});
      s.keys.emplace_back(ps.key);
      s.priors.push_back(prior);
    }
  for (const auto& path : r.what_ifs) {
    auto config = load_model_config(path, data.geography, default_parameters_path());
    s.what_if_tomls.push_back(resolved_toml(config, data.geography));
    s.what_ifs.push_back({path.stem().string(), std::move(config)});
  }
  return s;
}

SensitivitySimulator simulator_of(const ObservedData& data, const Study& s) {
  return SensitivitySimulator(data.geography, s.cal.config, s.what_ifs, s.factors, s.cal.names, s.cal.spec.statistics,
                              s.options.seed, s.cal.spec.focal);
}

// What the outputs at every design point depend on (not the analysis: --log, --bootstrap).
std::string study_fingerprint(const Study& s) {
  const auto& o = s.options;
  auto f = fmt::format("sensitivity {} trajectories {} levels {} samples {} replicates {} seed {}\n", to_string(o.method),
                       o.trajectories, o.levels, o.base_samples, o.replicates, o.seed);
  for (std::size_t i = 0; i < s.keys.size(); ++i) f += fmt::format("factor {} {}\n", s.keys[i], s.priors[i].describe());
  for (const auto& n : s.cal.spec.statistics) f += fmt::format("statistic {}\n", n);
  if (!s.cal.spec.focal.focal_group.empty()) f += fmt::format("focal_group {}\n", s.cal.spec.focal.focal_group);
  for (std::size_t i = 0; i < s.what_ifs.size(); ++i)
    f += fmt::format("what-if {}\n{}", s.what_ifs[i].label, s.what_if_tomls[i]);
  f += fmt::format("iskabm {}\n", build_info::version);
  return f + s.cal.scenario_toml;
}

#ifdef ISKABM_HAVE_MPI
// An MPI worker rank: builds the same simulator as rank 0 and simulates what it is sent.
int sensitivity_worker(const std::filesystem::path& data_dir, const SensitivityRequest& request) {
  return serve_as_mpi_worker([&] {
    const auto data = load_observed_data(data_dir);
    const auto study = load_study(data, request);
    const auto simulate = simulator_of(data, study);
    return mpi::run_worker(std::cref(simulate), request.options.threads);
  });
}
#endif

}  // namespace

SensitivityOutcome run_sensitivity_session(const std::filesystem::path& data_dir, const SensitivityRequest& request) {
  SensitivityOutcome outcome;
#ifdef ISKABM_HAVE_MPI
  std::optional<mpi::Session> session;
  if (mpi::launched_by_mpi()) session.emplace();
  if (session && session->rank() > 0) {
    outcome.worker = true;
    outcome.exit_code = sensitivity_worker(data_dir, request);
    return outcome;
  }
  std::optional<mpi::Master> master;  // destroyed before the session: stops the workers
  if (session) master.emplace(session->size());
#endif
  const auto data = load_observed_data(data_dir);
  const auto study = load_study(data, request);
  const auto simulate = simulator_of(data, study);
  const auto& o = study.options;
  outcome.output = request.output.empty()
                       ? std::filesystem::path("results") /
                             fmt::format("{}_{}.h5", request.spec.stem().string(), to_string(o.method))
                       : request.output;
  if (outcome.output.has_parent_path()) std::filesystem::create_directories(outcome.output.parent_path());
  const OutputLock lock(outcome.output);  // held for the whole study (checkpoints rewrite the file)
  SensitivityFileInfo info{.title = study.cal.spec.title,
                           .history = fmt::format("iskabm sensitivity {} --method {}",
                                                  request.spec.filename().string(), to_string(o.method)),
                           .spec_toml = read_text_file(request.spec),
                           .fingerprint = study_fingerprint(study),
                           .status = "running"};

  std::vector<std::vector<double>> done;
  std::error_code ec;
  if (request.resume && std::filesystem::exists(outcome.output, ec)) {
    auto previous = read_sensitivity_checkpoint(outcome.output);
    if (previous.fingerprint != info.fingerprint)
      throw UsageError(fmt::format("--resume: {} holds another study (spec, scenarios, factors, design settings or "
                                   "iskabm version differ); run without --resume to start afresh",
                                   outcome.output.string()));
    done = std::move(previous.outputs);
    spdlog::info("resuming {} after {} complete design point(s)", outcome.output.string(), done.size());
  } else if (request.resume) {
    spdlog::warn("--resume: {} does not exist; starting from the beginning", outcome.output.string());
  } else if (std::filesystem::exists(outcome.output, ec)) {
    spdlog::warn("{} exists and will be replaced (use --resume to continue it instead)", outcome.output.string());
  }

  RunBatchSimulator batch;
#ifdef ISKABM_HAVE_MPI
  if (master) {
    master->start();
    if (master->workers() > 0) {
      batch = simulate_on_workers(*master);
      spdlog::info("MPI: {} worker rank(s), {} simulation thread(s) in all", master->workers(),
                   master->worker_threads());
    }
  }
#endif
  auto weights = study.cal.spec.weights;  // the spec's for its statistics; 1 for each what-if answer
  weights.resize(simulate.output_names().size(), 1.0);
  spdlog::info("sensitivity of {}: {} over {} parameters and {} outputs", study.cal.spec.title, to_string(o.method),
               study.keys.size(), simulate.output_names().size());
  StopSignals signals;
#ifdef ISKABM_HAVE_MPI
  if (master) master->set_stop(signals.flag());
#endif
  const auto t0 = std::chrono::steady_clock::now();
  auto last_checkpoint = t0;
  outcome.study = run_sensitivity_study(
      study.keys, study.priors, simulate.output_names(), weights, o, std::cref(simulate),
      [&](std::size_t d, std::size_t total) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        spdlog::info("{}/{} design points, elapsed {}", d, total, format_duration(elapsed));
      },
      signals.flag(), std::move(done),
      [&](const SensitivityStudy& so_far) {
        const auto now = std::chrono::steady_clock::now();
        if (std::chrono::duration<double>(now - last_checkpoint).count() < 30) return;
        last_checkpoint = now;
        write_sensitivity_file(outcome.output, so_far, info);
      },
      batch);
  if (outcome.study.interrupted) {
    info.status = "interrupted";
    write_sensitivity_file(outcome.output, outcome.study, info);
    spdlog::warn("interrupted; {} holds {} complete design point(s): continue with --resume", outcome.output.string(),
                 outcome.study.outputs.size());
    outcome.interrupted = true;
    outcome.exit_code = signals.exit_code();
#ifdef ISKABM_HAVE_MPI
    if (master && master->workers() > 0) outcome.exit_code = 0;  // a requeued job resumes
#endif
    return outcome;
  }
  info.status = "finished";
  write_sensitivity_file(outcome.output, outcome.study, info);
  return outcome;
}

}  // namespace iskabm
