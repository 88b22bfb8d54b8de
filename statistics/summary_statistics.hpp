#pragma once
// Summary statistics of one replicate, on its *observed* (reported) attacks and its focal group:
// the quantities calibration compares with the observed record (docs/calibration.md), stored per
// replicate in every result file (docs/output.md). Each statistic is one named object, registered
// in one place (summary_statistics.cpp): its name, its meaning, its value as a function of a
// Tally (statistics/tally.hpp), and where its observed value comes from. Names are stable; the list
// depends on the window (one entry per year) and on the options.
#include <functional>
#include <string>
#include <vector>

#include "io/observed_data.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"
#include "statistics/tally.hpp"

namespace iskabm {

// Which group the focal statistics follow and in which year its strength is averaged. A
// calibration spec may set them ([focal] group, strength_year); result files use the defaults.
struct StatisticsOptions {
  std::string focal_group;  // a group id; empty: the scenario's first group (ISK in the shipped ones)
  int strength_year = 2017;
  friend bool operator==(const StatisticsOptions&, const StatisticsOptions&) = default;
};

// Where a statistic's observed value comes from.
enum class ObservedSource : std::uint8_t {
  record,            // the same function applied to the observed record's tally
  published_figure,  // a published figure (data/aggregates/published_figures.csv)
  validation_only,   // a figure exists but is kept out of calibration (validation patterns)
  undefined,         // nothing observed (e.g. a year outside the record): NaN
};
[[nodiscard]] std::string_view to_string(ObservedSource s) noexcept;

struct SummaryStatistic {
  std::string name;
  std::string meaning;
  std::function<double(const Tally&)> value;  // NaN where undefined (e.g. no observed attack)
  ObservedSource source = ObservedSource::record;
  std::function<double(const PublishedFigures&)> figure;  // published_figure, validation_only
  std::vector<std::string> figures;                       // the ids of the published figures it uses
};

// The statistics of a World, in their stable order.
class SummaryStatistics {
 public:
  explicit SummaryStatistics(const World& w, StatisticsOptions options = {});

  [[nodiscard]] const std::vector<SummaryStatistic>& all() const noexcept { return stats_; }
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] const StatisticsOptions& options() const noexcept { return options_; }
  [[nodiscard]] GroupIndex focal_group() const noexcept { return focal_; }

  [[nodiscard]] std::vector<double> of(const Tally& t) const;
  // A replicate's values.
  [[nodiscard]] std::vector<double> simulated(const Recorder& r) const;
  // The calibration targets: the record's values, published figures, NaN where undefined or
  // validation only.
  [[nodiscard]] std::vector<double> observed(const ObservedData& record) const;

 private:
  const World* world_;
  StatisticsOptions options_;
  GroupIndex focal_ = 0;
  std::vector<SummaryStatistic> stats_;
};

// With the default options.
[[nodiscard]] std::vector<std::string> summary_statistic_names(const World& w);
[[nodiscard]] std::vector<double> summary_statistics(const World& w, const Recorder& r);
[[nodiscard]] std::vector<double> observed_summary_statistics(const World& w, const ObservedData& observed);

}  // namespace iskabm
