#pragma once
// A calibration specification (TOML): the scenario to fit, the free parameters with their
// priors, the summary statistics compared with the observed record and their weights, and the
// ABC-SMC settings and stopping rules. Errors name file, line, column and key.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/history_matching.hpp"
#include "calibration/prior.hpp"
#include "model/calendar.hpp"
#include "model/parameters.hpp"
#include "statistics/summary_statistics.hpp"

namespace iskabm {

struct FreeParameter {
  const ParameterSpec* spec;  // which model parameter
  Prior prior;
};

// The published figures a spec's loader checks its [figures] table against: the bundled ids, and
// for each statistic name (in the order of summary_statistic_names) the figure ids it uses.
struct FigureUse {
  std::vector<std::string> known;
  std::vector<std::vector<std::string>> used_by;
};

// [history_match]: the pre-pass that bounds ABC-SMC (calibration/history_matching.hpp). Its seed
// is the [smc] seed unless the table sets one.
struct HistoryMatchSpec {
  HistoryMatchOptions options;
  double discrepancy_fraction = 0.1;  // default model-discrepancy sd, as a fraction of |observed|
};

struct CalibrationSpec {
  std::string source;
  std::string title;
  std::filesystem::path scenario;       // resolved against the spec's directory
  std::optional<CivilDate> window_end;  // fit only up to this day (a held-back test window after it)
  StatisticsOptions focal;              // [focal]: the group the focal statistics follow, its strength year
  std::vector<FreeParameter> parameters;
  std::vector<std::string> statistics;  // names, in the order of summary_statistic_names
  std::vector<double> weights;          // one per statistic
  // [figures]: every bundled published figure is a calibration target or validation only; a
  // selected statistic may use targets only. Empty when the spec has no [figures] table.
  std::vector<std::string> figure_targets, figure_validation;
  AbcOptions options;
  std::optional<HistoryMatchSpec> history_match;
  // Per selected statistic, from its [[statistic]] block: the declared observation error and model
  // discrepancy (standard deviations) of history matching. The discrepancy sd is
  // max(discrepancy_sd, discrepancy_fraction x |observed|); a NaN fraction means the table's.
  std::vector<double> observation_sd, discrepancy_sd, discrepancy_fraction;
};

// `statistic_names` are the names the scenario's runs produce (summary_statistic_names).
// `figures` (optional) checks the [figures] table: every known id declared once, no statistic
// using a validation-only figure.
[[nodiscard]] CalibrationSpec load_calibration_spec(const std::filesystem::path& file,
                                                    const std::vector<std::string>& statistic_names,
                                                    const FigureUse* figures = nullptr);
// Reads only the scenario path of a spec (to build the World whose statistic names are needed).
[[nodiscard]] std::filesystem::path calibration_scenario(const std::filesystem::path& file);
// Reads only the optional `window_end` of a spec (the scenario is cut there before its statistics
// are named: the years of the window are part of the names).
[[nodiscard]] std::optional<CivilDate> calibration_window_end(const std::filesystem::path& file);
// Reads only the validation list of the optional [figures] table (empty without one).
[[nodiscard]] std::vector<std::string> calibration_validation_figures(const std::filesystem::path& file);
// Reads only the optional [focal] table (group = a group id of the scenario, strength_year): the
// strength year is part of a statistic's name. `group_ids` are the scenario's groups; an unknown id
// is a DataError at the key, with a suggestion.
[[nodiscard]] StatisticsOptions calibration_focal(const std::filesystem::path& file,
                                                  const std::vector<std::string>& group_ids);

}  // namespace iskabm
