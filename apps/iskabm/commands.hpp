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
#include "session/paths.hpp"

namespace iskabm {
struct ObservedData;
}

namespace iskabm {
class StopSignals;
}

namespace iskabm::app {

// Options shared by every subcommand.
struct GlobalOptions {
  std::string data_dir;  // empty: ISKABM_DATA_DIR, else the bundled data directory
  std::string log_level = "info";
  std::string command_line;  // the program's arguments, joined (recorded in output files)
};

// A count or median for a printed table: whole numbers from 100 (and exact integers), else one
// decimal (compare, sweep).
[[nodiscard]] std::string table_number(double x);
// "median ±error" (the Monte Carlo standard error; the bare median when the error is NaN).
[[nodiscard]] std::string with_error(double median, double error);

// A check for an unsigned option: plain decimal digits from min to max (no sign, no hexadecimal,
// no wrap-around), else CLI11's usage error naming the option (exit 64). option_checks.cpp.
[[nodiscard]] CLI::Validator whole_number(std::uint64_t min, std::uint64_t max);
// Seeds: 0 is not a seed (run's --seed 0 would mean "the scenario's"): from 1.
inline constexpr std::uint64_t max_seed = UINT64_MAX;
// Replicate numbers are stored as 64-bit signed integers: the first one leaves room for the rest.
inline constexpr std::uint64_t max_first_replicate = std::uint64_t{1} << 62;

// The data directory the program uses: --data, then $ISKABM_DATA_DIR, then the bundled one.
[[nodiscard]] std::filesystem::path resolve_data_dir(const GlobalOptions& global);

// "did you mean ...?" lines for a command line CLI11 refused: a mistyped command, or an option
// (long form) close to one the command or the program has.
[[nodiscard]] std::vector<std::string> suggestions(const CLI::App& cli, int argc, char** argv);

// What a calibration spec reads (the spec, its scenario and the scenario's base chain), for the
// output policy (base/output_policy.hpp); a spec that cannot be read yields the spec alone (its
// error is reported when it is loaded).
[[nodiscard]] std::vector<std::filesystem::path> spec_inputs(const std::filesystem::path& spec);

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
// Registers `iskabm sensitivity` (Morris screening and Sobol' indices of a calibration spec).
void register_sensitivity_command(CLI::App& app, const GlobalOptions& global, Action& action);
// Registers `iskabm history-match` (the waves that rule out implausible parameters before ABC-SMC).
void register_history_match_command(CLI::App& app, const GlobalOptions& global, Action& action);
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

}  // namespace iskabm::app
