#pragma once
// Paired comparison of two result files (a what-if against its baseline): replicate k of one is
// paired with replicate k of the other, which shares its random streams wherever the scenarios
// agree (common random numbers), so the differences isolate the effect of the change.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace iskabm {

struct ComparisonRow {
  std::string metric;  // attacks, attacks_observed, fatalities, joint_attacks, <group>_members
  std::string scope;   // all, Afghanistan, Pakistan, or a province
  std::string period;  // "2015-2018" (the common window) or a year
  double base_median, whatif_median;
  double diff_median, diff_q05, diff_q25, diff_q75, diff_q95;
  std::size_t replicates;
  // Monte Carlo standard errors of the three medians (bootstrap over the paired replicates,
  // statistics/monte_carlo_error.hpp); NaN with fewer than 2 replicates.
  double base_error, whatif_error, diff_error;
  // Whether the paired differences' 90 % interval excludes zero; otherwise "no detectable effect".
  [[nodiscard]] bool effect_detected() const noexcept { return diff_q05 > 0 || diff_q95 < 0; }
};

struct Comparison {
  std::vector<ComparisonRow> rows;
  std::uint64_t base_seed = 0, whatif_seed = 0;
  std::size_t replicates = 0;
  std::string base_title, whatif_title;
};

// Which rows a comparison computes: every scope and period, or only the headline ones (the whole
// window; all, Afghanistan, Pakistan), which is all a sweep's summary needs.
enum class ComparisonRows : std::uint8_t { everything, headline };

// Throws IoError for unreadable files and UsageError when the files cannot be paired (different
// replicate numbers, maps, or no common months).
[[nodiscard]] Comparison compare_runs(const std::filesystem::path& base, const std::filesystem::path& whatif,
                                      ComparisonRows rows = ComparisonRows::everything);

// A headline difference not yet known to a requested precision: its Monte Carlo error exceeds the
// target (percent of the baseline median), and the replicates that would bring it there.
struct PrecisionShortfall {
  const ComparisonRow* row;
  double target;
  std::uint64_t replicates_needed;
};

// The metrics a precision request covers by default: true and reported attacks, fatalities and the
// focal group's members at the window's end (`compare` and the sweep summary alike).
[[nodiscard]] bool is_headline_metric(std::string_view metric) noexcept;
[[nodiscard]] std::vector<std::string> headline_metrics(const Comparison& c);

// The headline rows of `c` (the whole window; all, Afghanistan, Pakistan; `metrics`, or
// headline_metrics(c) when empty) whose difference's Monte Carlo error exceeds `percent` % of the
// baseline median (rows with a zero baseline median are judged against 1). Empty: all are known.
[[nodiscard]] std::vector<PrecisionShortfall> precision_shortfalls(const Comparison& c, double percent,
                                                                   const std::vector<std::string>& metrics = {});

// Every row as CSV text (header: metric,scope,period,replicates,baseline_median,whatif_median,
// difference_median,difference_q05,difference_q25,difference_q75,difference_q95,
// baseline_median_mcse,whatif_median_mcse,difference_median_mcse,effect), as `compare --csv`
// writes it and `report --baseline` plots it; effect is "detected" or "none detected".
[[nodiscard]] std::string comparison_csv(const Comparison& c);

}  // namespace iskabm
