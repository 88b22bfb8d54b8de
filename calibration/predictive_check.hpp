#pragma once
// The posterior predictive check of a run (usually `run --posterior`): for every summary
// statistic, the observed value against the replicates' median and 90 % interval and its rank
// (share of replicates below it; near 0 or 1 the model misses); and for the districts with the most
// observed attacks, observed counts against the simulated ones over the run's window.
#include <filesystem>
#include <string>
#include <vector>

#include "io/observed_data.hpp"

namespace iskabm {

struct PredictiveRow {
  std::string name;   // statistic name, or district id
  std::string label;  // district "name, province" (empty for statistics)
  double observed = 0, median = 0, q05 = 0, q95 = 0;
  double rank = 0;             // share of replicates below the observed value (+ half the ties)
  std::size_t replicates = 0;  // replicates where the statistic is defined
  [[nodiscard]] bool inside_90() const noexcept { return observed >= q05 && observed <= q95; }
};

struct PredictiveCheck {
  std::string source, title;
  std::size_t replicates = 0;
  std::string window;                     // "2014-01..2018-12"
  std::vector<PredictiveRow> statistics;  // with an observed value
  std::vector<PredictiveRow> districts;   // the top observed districts
};

// Reads the run's summary statistics, their observed values and attacks_observed. A file
// without `observed_statistics` (written before they were stored) is a DataError naming it.
[[nodiscard]] PredictiveCheck predictive_check(const std::filesystem::path& run, const ObservedData& data,
                                               std::size_t top_districts = 10);

}  // namespace iskabm
