#pragma once
// A planned ensemble run: the scenario and posterior loaded and checked, the output and journal
// named, the run's identity fixed; execute() runs it (resuming from the journal if asked) and
// writes the result file. The code path of `iskabm run`, `iskabm sweep` and the benches.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/run_plan.hpp"
#include "io/observed_data.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

class StopSignals;

// What `iskabm run` is asked to do, after its arguments are parsed.
struct RunRequest {
  std::filesystem::path config;     // the scenario; empty: the default one
  std::filesystem::path output;     // empty: results/<scenario name>[.shard-K-of-N].h5
  std::filesystem::path posterior;  // empty: the scenario's [run] posterior (unless no_posterior)
  bool no_posterior = false;
  std::optional<Shard> shard;
  std::uint64_t seed = 0;  // 0: the scenario's
  std::uint64_t first_replicate = 0;
  std::uint64_t replicates = 0;  // 0: the scenario's
  int threads = 0;               // 0: all cores
  bool resume = false, no_progress = false;
};

// What a run produced, for the caller to print.
struct RunOutcome {
  int exit_code = 0;
  std::uint64_t replicates_done = 0;
  // Observed attacks per replicate, country and year (row-major, country_count x years per
  // replicate; at most 100,000 replicates), and the last replicate in full.
  std::vector<double> yearly_observed;
  Recorder last;
};

// One ensemble run into one result file: the code path of `iskabm run`, shared by `iskabm sweep`
// (which runs every variant through it, so that a variant's file is the very file `iskabm run`
// writes for its scenario). The constructor loads and checks the scenario and the posterior
// (DataError, UsageError) and names the output without touching it; execute() runs.
class PlannedRun {
 public:
  PlannedRun(const ObservedData& data, const RunRequest& request);
  ~PlannedRun();
  PlannedRun(const PlannedRun&) = delete;
  PlannedRun& operator=(const PlannedRun&) = delete;

  [[nodiscard]] const std::filesystem::path& output() const noexcept;
  [[nodiscard]] const std::filesystem::path& journal() const noexcept;  // <output>.journal
  [[nodiscard]] const std::string& history() const noexcept;            // the canonical command it records
  [[nodiscard]] const std::string& configuration() const noexcept;      // the resolved scenario it records
  [[nodiscard]] const std::string& title() const noexcept;
  [[nodiscard]] std::uint64_t replicates() const noexcept;  // the replicates it writes

  [[nodiscard]] const World& world() const noexcept;

  // Runs the ensemble and writes the file (resuming from the journal if request.resume). The
  // outcome's exit code is 0, or 130/143 when stopped by SIGINT/SIGTERM (the journal then holds
  // what was done). `signals`: the caller's handlers (nullptr: installs its own for the run).
  RunOutcome execute(const StopSignals* signals = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iskabm
