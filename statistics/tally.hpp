#pragma once
// What the summary statistics are computed from. A simulated replicate and the observed record are
// both reduced to a Tally of the same shape, so that every statistic is one function of a Tally and
// gives the record's value when fed the record.
#include <array>
#include <cstdint>
#include <vector>

#include "io/observed_data.hpp"
#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

// The losses of the focal group that statistics use, in this order.
inline constexpr std::array<GroupMetric, 3> focal_losses{GroupMetric::killed, GroupMetric::captured,
                                                         GroupMetric::surrendered};

struct Tally {
  // The window's months (as the World's calendar numbers them) and whether the source covers each:
  // a replicate covers every month, the record only 2014-01..2018-12.
  std::size_t months = 0;
  std::vector<int> year;           // calendar year of month m
  std::vector<int> month_of_year;  // 1..12
  std::vector<std::uint8_t> covered;
  // Observed (reported) attacks.
  std::array<std::vector<double>, country_count> monthly;  // per month and country
  std::vector<double> by_district;                         // over the window
  std::vector<double> by_province;                         // over the window
  std::vector<double> fatalities;                          // one entry per observed attack
  double joint_claimed = 0;                                // observed attacks whose claim names a partner
  // Every observed attack in day order: its day and district (-1 where the record has none), for
  // the statistics that need days (days between attacks, Ramadan) or years (yearly top districts).
  std::vector<DayNumber> attack_day;
  std::vector<std::int32_t> attack_district;
  // The focal group (a replicate only; empty for the record): month-end members per country and
  // losses over the window per country.
  std::array<std::vector<double>, country_count> focal_members;
  std::array<std::array<double, country_count>, focal_losses.size()> focal_loss{};
};

// A replicate's tally; `focal` is the focal group's index.
[[nodiscard]] Tally tally_replicate(const World& w, const Recorder& r, GroupIndex focal);
// The observed record's tally over the World's window; a joint claim counts only if it names a
// group of the model other than the focal one (Group::named_as).
[[nodiscard]] Tally tally_record(const World& w, const ObservedData& record, GroupIndex focal);

}  // namespace iskabm
