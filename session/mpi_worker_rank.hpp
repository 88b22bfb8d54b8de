#pragma once
// What the sessions that run under mpirun (calibrate, history-match, sensitivity) share about MPI
// ranks: a worker rank's life — quiet logging, signals left to rank 0 (which checkpoints and says
// stop), a set-up error reported to rank 0 instead of thrown — and rank 0's batch simulator on the
// workers. Only with ISKABM_MPI.
#ifdef ISKABM_HAVE_MPI
#include <spdlog/spdlog.h>

#include <exception>

#include "base/errors.hpp"
#include "calibration/mpi_workers.hpp"
#include "calibration/point_ensembles.hpp"
#include "session/stop_signals.hpp"

namespace iskabm {

// `serve` builds the simulator exactly as rank 0 does and returns mpi::run_worker(simulator, ...).
// A worker whose set-up fails exits 0 after telling rank 0, which reports the error with its exit
// code: a non-zero exit would make mpirun kill rank 0 before it printed the message.
template <class Serve>
int serve_as_mpi_worker(const Serve& serve) {
  if (spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  try {
    const StopSignals ignored;  // Slurm signals every task: a worker keeps simulating until rank 0 says stop
    return serve();
  } catch (const Error& e) {
    mpi::report_worker_failure(e.what(), static_cast<int>(e.exit_code()));
  } catch (const std::exception& e) {
    mpi::report_worker_failure(e.what(), static_cast<int>(ExitCode::internal));
  }
  return 0;
}

// Runs with explicit proposal numbers on the worker ranks (point ensembles: history matching,
// sensitivity).
inline RunBatchSimulator simulate_on_workers(mpi::Master& master) {
  return [&master](std::uint64_t generation, const std::vector<std::uint64_t>& proposals,
                   const std::vector<std::vector<double>>& thetas) {
    return master.simulate(generation, proposals, thetas);
  };
}

}  // namespace iskabm
#endif
