#pragma once
// SIGINT / SIGTERM / SIGUSR1 as a polite stop request for long commands (run, calibrate): while a
// StopSignals object lives, the signals set a flag that the work loop checks; the command then
// finishes its current write, leaves a resumable state and exits with 128 + the signal number
// (`calibrate` under MPI exits 0 instead, so that a requeued Slurm job resumes). SIGUSR1 is what
// Slurm's `--signal=USR1@SECONDS` sends before the time limit.
#include <atomic>

namespace iskabm {

class StopSignals {
 public:
  StopSignals();   // installs the handlers and clears the flag
  ~StopSignals();  // restores the default handlers
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  [[nodiscard]] const std::atomic<bool>* flag() const noexcept;
  [[nodiscard]] bool requested() const noexcept;
  [[nodiscard]] int exit_code() const noexcept;  // 128 + signal number
};

}  // namespace iskabm
