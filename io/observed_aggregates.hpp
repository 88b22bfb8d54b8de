#pragma once
// Aggregates of the observed record, as shipped in data/aggregates: the complete country-month grid
// (zeros included), yearly sums, and the non-zero district-months. They are the calibration targets;
// the loader checks that they agree with the event list they were derived from.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "io/observed_events.hpp"
#include "model/geography.hpp"

namespace iskabm {

struct CountryMonthCount {
  Country country;
  int year, month;
  std::int32_t events_all, events_named_or_claimed, fatalities_all;
};
struct CountryYearCount {
  Country country;
  int year;
  std::int32_t events_all, events_named_or_claimed, fatalities_all;
};
struct DistrictMonthCount {
  DistrictIndex district;
  int year, month;
  std::int32_t events, fatalities, events_named_or_claimed;
};

struct ObservedAggregates {
  std::vector<CountryMonthCount> country_month;  // Jan 2014 - Dec 2018 × {AFG, PAK}
  std::vector<CountryYearCount> country_year;
  std::vector<DistrictMonthCount> district_month;  // non-zero only
};

// Loads <data_dir>/aggregates/isk_wikipedia_{country_month,country_year,district_month}.csv and
// checks every row against `events` (counts, named-or-claimed counts and fatalities), the grid's
// completeness and the district ids. Throws DataError (file, line, column) or IoError.
[[nodiscard]] ObservedAggregates load_observed_aggregates(const std::filesystem::path& data_dir, const Geography& geo,
                                                          const ObservedEvents& events);

}  // namespace iskabm
