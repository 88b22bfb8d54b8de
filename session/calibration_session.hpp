#pragma once
// A calibration session: the spec loaded as every calibration path loads it (the same scenario,
// statistics, priors, simulator and fingerprint: calibration/loaded_calibration.hpp), the
// posterior file as result and checkpoint (rewritten whole after every generation; --resume
// continues after the last complete one and refuses a file of another calibration), and, under an
// MPI launcher, rank 0 as the only proposer and writer while the other ranks simulate
// (calibration/mpi_workers.hpp). Used by `iskabm calibrate`; `coverage` uses its loading.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "calibration/posterior_file.hpp"

namespace iskabm {

struct CalibrationRequest {
  std::filesystem::path spec;
  std::filesystem::path output;     // empty: results/<spec name>_posterior.h5
  std::filesystem::path particles;  // also write the last generation's particles as CSV (empty: no)
  int threads = 0;                  // 0: the spec's
  bool resume = false;
  std::size_t max_generations = 0;  // 0: the spec's
  double max_minutes = -1;          // < 0: the spec's
  // ABC-SMC within the region of this finished history match (of the same spec). Without it, a
  // spec with a [history_match] table runs its history match first (or continues it) into
  // <output's name without _posterior>_history_match.h5 beside the output.
  std::filesystem::path from_history_match;
};

struct CalibrationOutcome {
  int exit_code = 0;
  bool worker = false;  // an MPI worker rank: it wrote nothing and has nothing to print
  bool interrupted = false;
  std::filesystem::path output;
  CalibrationRecord record;  // what the posterior file holds
  std::size_t population = 0;
};

// The hash of everything the calibration depends on (spec, scenario, data, program version).
[[nodiscard]] std::string calibration_fingerprint_hash(const std::filesystem::path& data_dir,
                                                       const CalibrationRequest& request);

// Runs the calibration. Under an MPI launcher, every rank calls this: rank 0 calibrates, the
// others simulate until it is done (their outcome has `worker` set). Stopped by SIGINT, SIGTERM
// or SIGUSR1 after the current batch: the file keeps the complete generations; the exit code is
// 128 + the signal, or 0 under MPI (a requeued Slurm job resumes).
[[nodiscard]] CalibrationOutcome run_calibration(const std::filesystem::path& data_dir,
                                                 const CalibrationRequest& request);

}  // namespace iskabm
