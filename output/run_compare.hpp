#pragma once
// Paired comparison of two result files (a what-if against its baseline): replicate k of one is
// paired with replicate k of the other, which shares its random streams wherever the scenarios
// agree (common random numbers), so the differences isolate the effect of the change.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace iskabm {

struct ComparisonRow {
  std::string metric;  // attacks, attacks_observed, fatalities, joint_attacks, <group>_members
  std::string scope;   // all, Afghanistan, Pakistan, or a province
  std::string period;  // "2015-2018" (the common window) or a year
  double base_median, whatif_median;
  double diff_median, diff_q05, diff_q25, diff_q75, diff_q95;
  std::size_t replicates;
};

struct Comparison {
  std::vector<ComparisonRow> rows;
  std::uint64_t base_seed = 0, whatif_seed = 0;
  std::size_t replicates = 0;
  std::string base_title, whatif_title;
};

// Throws IoError for unreadable files and UsageError when the files cannot be paired (different
// replicate numbers, maps, or no common months).
[[nodiscard]] Comparison compare_runs(const std::filesystem::path& base, const std::filesystem::path& whatif);

// Every row as CSV text (header: metric,scope,period,replicates,baseline_median,whatif_median,
// difference_median,difference_q05,difference_q25,difference_q75,difference_q95), as `compare
// --csv` writes it and `report --baseline` plots it.
[[nodiscard]] std::string comparison_csv(const Comparison& c);

}  // namespace iskabm
