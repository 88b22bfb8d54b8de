#pragma once
// Sweeps (docs/cluster.md, "Sweeps"): many what-ifs of one base scenario, described in one sweep
// file either as a grid (the Cartesian product of the levels of several axes, e.g. pressure
// levels x alliance settings) or as a list of variants. Each variant becomes a generated scenario
// file that extends the base (`base = ...`) with its levels' scenario tables merged; `iskabm
// sweep` runs each one exactly as `iskabm run` would and collects a summary against the base
// itself (the "reference" variant).
//
// Here: reading and checking the sweep file, expanding it into variants in a fixed order, the
// deep merge of the levels' tables (tables merge key by key, arrays of tables concatenate, a key
// set to different values by two axes is an error naming both), the generated scenario text, the
// way back from an error in a generated scenario to the line of the sweep file that caused it, and
// the summary table as CSV. toml++ stays inside sweep.cpp. Every problem is a DataError naming the
// sweep file, line, column and key.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/errors.hpp"

namespace iskabm {

// Where the sweep file sets a key of a generated scenario.
struct SweepOrigin {
  std::string key;  // its path in the sweep file: "axis[0].level[1].scenario.intervention[0].multiplier"
  std::size_t line = 0, column = 0;
};

struct SweepVariant {
  std::size_t index = 0;            // in run order, from 0 (the reference first, when there is one)
  std::string name;                 // "air-half_ties-cut_2016" (grid), the label (list), "reference"
  std::vector<std::string> labels;  // grid: the level of each axis; list: the label; reference: none
  bool reference = false;           // runs the base scenario itself, no generated file
  std::string scenario_toml;        // the generated scenario (empty for the reference)
  // Key path in the generated scenario, as a scenario error names it ("intervention[0].multiplier",
  // "parameters.attack.base_rate", "base") -> where the sweep file sets it.
  std::map<std::string, SweepOrigin> origins;
};

class Sweep {
 public:
  // Reads and checks a sweep file (schema: docs/cluster.md). Throws DataError (file:line:column,
  // key) or IoError.
  static Sweep load(const std::filesystem::path& file);
  // The same from text; `file` names it in errors and anchors the relative base path.
  static Sweep parse(std::string_view text, const std::filesystem::path& file);

  Sweep(Sweep&&) noexcept;
  Sweep& operator=(Sweep&&) noexcept;
  ~Sweep();

  [[nodiscard]] const std::filesystem::path& file() const noexcept;
  [[nodiscard]] const std::string& title() const noexcept;  // default: the file's stem
  // The base scenario: the sweep file's `base`, relative to the sweep file's directory.
  [[nodiscard]] const std::filesystem::path& base() const noexcept;
  [[nodiscard]] std::optional<std::uint64_t> replicates() const noexcept;
  [[nodiscard]] bool has_reference() const noexcept;                    // `reference` (default true)
  [[nodiscard]] bool is_grid() const noexcept;                          // `mode = "grid"` (default) or "list"
  [[nodiscard]] const std::vector<std::string>& axes() const noexcept;  // grid: axis names; list: none
  [[nodiscard]] std::size_t size() const noexcept;                      // variants, the reference included

  // Every variant in run order: the reference (if any), then the grid's combinations with the
  // first axis varying slowest (or the list in file order). `scenario_dir` is the directory the
  // generated scenarios are written to: their `base` (and a level's `[run] posterior`) is given
  // relative to it. Throws DataError for keys two axes set to different values.
  [[nodiscard]] std::vector<SweepVariant> variants(const std::filesystem::path& scenario_dir) const;

  // An error met loading variant `v`'s generated scenario (written to `generated`), pointed at the
  // sweep file where a level sets the offending key (or its closest enclosing table); other
  // errors (in the base scenario, or in no level's keys) are returned as they are.
  [[nodiscard]] DataError locate(const DataError& e, const SweepVariant& v,
                                 const std::filesystem::path& generated) const;

 private:
  Sweep();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Checked by Sweep: level labels and list labels are 1-64 characters of [A-Za-z0-9_.-] starting
// with a letter or digit; axis names 1-32 of [A-Za-z0-9_] starting with a letter.
[[nodiscard]] bool valid_sweep_label(std::string_view label) noexcept;
[[nodiscard]] bool valid_sweep_axis_name(std::string_view name) noexcept;

// One row of a sweep's summary: a metric of one variant over one scope, its ensemble median and
// 90 % interval, and the paired difference against the reference (unset without a reference).
struct SweepSummaryRow {
  std::string variant;
  std::vector<std::string> labels;  // one per axis (empty cells for the reference)
  std::string metric, scope, period;
  std::size_t replicates = 0;
  double median = 0, q05 = 0, q95 = 0;
  std::optional<double> difference_median, difference_q05, difference_q95;
  // Monte Carlo standard errors (bootstrap over the replicates) of the median and of the median
  // difference; NaN with fewer than 2 replicates, unset without a difference.
  double median_error = 0;
  std::optional<double> difference_error;
};

// The summary as tidy CSV: variant,<one column per axis>,metric,scope,period,replicates,median,
// q05,q95,difference_median,difference_q05,difference_q95,median_mcse,difference_mcse (numbers in
// shortest round-trip form, unset differences empty).
[[nodiscard]] std::string sweep_summary_csv(const std::vector<std::string>& axes,
                                            const std::vector<SweepSummaryRow>& rows);

}  // namespace iskabm
