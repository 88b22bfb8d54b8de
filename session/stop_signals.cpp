#include "session/stop_signals.hpp"

#include <csignal>

namespace iskabm {

namespace {
std::atomic<bool> stop_requested{false};
std::atomic<int> stop_signal{0};
extern "C" void on_stop_signal(int sig) {
  stop_signal.store(sig);
  stop_requested.store(true);
}
}  // namespace

StopSignals::StopSignals() {
  stop_requested.store(false);
  stop_signal.store(0);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);  // Slurm's warning before the time limit (--signal=USR1@SECONDS)
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGUSR1, SIG_DFL);
}

const std::atomic<bool>* StopSignals::flag() const noexcept { return &stop_requested; }
bool StopSignals::requested() const noexcept { return stop_requested.load(); }
int StopSignals::exit_code() const noexcept { return 128 + stop_signal.load(); }

}  // namespace iskabm
