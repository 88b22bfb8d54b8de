#pragma once
// Summary statistics of one replicate, on its *observed* (reported) attacks: the quantities
// calibration compares with the observed record (docs/ODD.md §8, issue 6). Stored per replicate
// in every result file. Names are stable; their list depends on the window (one entry per year).
#include <string>
#include <vector>

#include "io/observed_data.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

struct SummaryStatistics {
  std::vector<std::string> names;
  std::vector<double> values;  // NaN where undefined (e.g. no observed attack)
};

// The q-quantile of values by linear interpolation (type 7); NaN for no values.
[[nodiscard]] double quantile(std::vector<double> values, double q);

// The statistic names for a World (the same for every replicate of it).
[[nodiscard]] std::vector<std::string> summary_statistic_names(const World& w);
// The statistics of one replicate. The focal group is the first one (ISK in the shipped scenarios).
[[nodiscard]] std::vector<double> summary_statistics(const World& w, const Recorder& r);

// The same statistics computed on the observed record (the calibration targets), over the
// World's window: NaN where the record says nothing (years outside 2014-2018). The focal group's
// strength and losses come from the published figures: members = mean of the midpoints of F06
// and F07; killed, captured, surrendered = F01-F05 (2015-2018); NaN where no figure exists.
[[nodiscard]] std::vector<double> observed_summary_statistics(const World& w, const ObservedData& observed);

}  // namespace iskabm
