#pragma once
// The iskabm program's subcommands. Each one: arguments -> library call -> printed result.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/run_plan.hpp"

namespace iskabm {
struct ObservedData;
}

namespace iskabm::app {

class StopSignals;

// Options shared by every subcommand.
struct GlobalOptions {
  std::string data_dir;  // empty: ISKABM_DATA_DIR, else the bundled data directory
  std::string log_level = "info";
  std::string command_line;  // the program's arguments, joined (recorded in output files)
};

// A count or median for a printed table: whole numbers from 100 (and exact integers), else one
// decimal (compare, sweep).
[[nodiscard]] std::string table_number(double x);

// The data directory the program uses: --data, then $ISKABM_DATA_DIR, then the bundled one.
[[nodiscard]] std::filesystem::path resolve_data_dir(const GlobalOptions& global);

// The bundled default model configuration and parameter defaults.
[[nodiscard]] std::filesystem::path default_config_path();
[[nodiscard]] std::filesystem::path default_parameters_path();

// Registers `iskabm data check` on `app`; the returned action runs it (returns the exit code).
using Action = std::function<int()>;
void register_data_commands(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm parameters`.
void register_parameters_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm schema`.
void register_schema_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm check`.
void register_check_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm compare`.
void register_compare_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm calibrate`.
void register_calibrate_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm score`.
void register_score_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm coverage` (synthetic-truth coverage study).
void register_coverage_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm check-fit`.
void register_check_fit_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm export` (tidy CSV tables of a result file).
void register_export_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm report` (figures and an HTML page, drawn by report/iskabm_report.py).
void register_report_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm merge` (the shards of an ensemble joined into one file).
void register_merge_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm run`.
void register_run_commands(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm sweep` (a grid or list of scenario variants, each run like `iskabm run`).
void register_sweep_command(CLI::App& app, const GlobalOptions& global, Action& action);

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
  bool resume = false, no_progress = false, quiet = false;
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
  [[nodiscard]] const std::string& history() const noexcept;        // the canonical command it records
  [[nodiscard]] const std::string& configuration() const noexcept;  // the resolved scenario it records
  [[nodiscard]] const std::string& title() const noexcept;
  [[nodiscard]] std::uint64_t replicates() const noexcept;  // the replicates it writes

  // Runs the ensemble and writes the file (resuming from the journal if request.resume); prints
  // the summary tables unless request.quiet. Returns the exit code: 0, or 130/143 when stopped
  // by SIGINT/SIGTERM (the journal then holds what was done). `signals`: the caller's handlers
  // (nullptr: installs its own for the run's duration).
  int execute(const StopSignals* signals = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iskabm::app
