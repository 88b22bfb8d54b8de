#include "ensemble/progress.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace iskabm {

std::string format_duration(double s) {
  if (s < 60) return fmt::format("{:.0f}s", s);
  if (s < 3600) return fmt::format("{:.0f}m{:02.0f}s", s / 60 - 0.5, std::fmod(s, 60.0));
  return fmt::format("{:.0f}h{:02.0f}m", s / 3600 - 0.5, std::fmod(s / 60, 60.0));
}

Progress::Progress(std::string what, std::uint64_t total, bool terminal)
    : what_(std::move(what)),
      total_(total),
      terminal_(terminal),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_),
      last_log_(start_) {}

void Progress::advance(std::uint64_t done, std::string_view note) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = done > 0 ? elapsed * static_cast<double>(total_ - done) / static_cast<double>(done) : 0.0;
  if (terminal_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    last_draw_ = now;
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    fmt::print(stderr, "\r{} [{}{}] {:3d}% {}/{} ETA {}{}{}   ", what_,
               std::string(static_cast<std::size_t>(filled), '#'), std::string(static_cast<std::size_t>(width - filled), '.'),
               total_ ? static_cast<int>(100 * done / total_) : 100, done, total_, format_duration(eta),
               note.empty() ? "" : ", ", note);
    std::fflush(stderr);
    return;
  }
  // Every 5 % of the work, but not more often than every 5 s (short runs stay quiet), and at least
  // every 30 s.
  const bool step =
      done - last_logged_ >= std::max<std::uint64_t>(1, total_ / 20) && now - last_log_ > std::chrono::seconds(5);
  if ((step || now - last_log_ > std::chrono::seconds(30)) && done < total_) {
    spdlog::info("{}: {}/{} ({}%), elapsed {}, ETA {}{}{}", what_, done, total_,
                 100 * done / std::max<std::uint64_t>(total_, 1), format_duration(elapsed), format_duration(eta),
                 note.empty() ? "" : ", ", note);
    last_logged_ = done;
    last_log_ = now;
  }
}

void Progress::finish() {
  if (terminal_) fmt::print(stderr, "\n");
}

}  // namespace iskabm
