#pragma once
// Progress of a long run: a one-line bar with ETA on a terminal, periodic log lines otherwise
// (Slurm logs, CI). Driven from the serial writer stage, so it needs no thread of its own.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace iskabm {

class Progress {
 public:
  // `total` units of work; `terminal`: draw a bar on stderr; otherwise log every 5 % (at most every 5 s) and at least
  // every 30 s.
  Progress(std::string what, std::uint64_t total, bool terminal);
  // `done` units finished so far; `note` (e.g. "1,530 simulations, acceptance 7.8 %") follows the ETA.
  void advance(std::uint64_t done, std::string_view note = {});
  // The work turned out larger (the mcmc sampler's steps past R, calibration/abc_smc.hpp): the
  // same bar, clock and log rhythm, a new total.
  void extend(std::uint64_t total) noexcept { total_ = total; }
  void finish();

 private:
  std::string what_;
  std::uint64_t total_, last_logged_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_draw_, last_log_;
};

[[nodiscard]] std::string format_duration(double seconds);

}  // namespace iskabm
