#pragma once
// What one replicate reports: monthly district counts, monthly group strength and flows by
// country, and the list of attacks. Arrays are sized once from the World; recording never
// allocates except for the event list, which is reserved up front.
#include <cstdint>
#include <vector>

#include "model/world.hpp"

namespace iskabm {

struct AttackEvent {
  DayNumber day;
  DistrictIndex district;
  GroupIndex group;
  std::int8_t partner;  // group index of the joint partner, -1 for a solo attack
  TargetClass target;
  Tactic tactic;
  std::int32_t fatalities;
  std::uint8_t observed;       // entered the notable-incident record
  std::uint8_t claimed;        // observed and claimed by / named as the attacking group
  std::uint8_t joint_claimed;  // observed, joint, and the claim names the partner
  std::uint64_t cell_uid;
};

// Monthly flows and end-of-month stocks per group and country.
enum class GroupMetric : std::uint8_t {
  members,  // stock at month end
  cells,    // stock at month end
  recruits,
  defections_in,
  defections_out,
  killed,  // by counter-terrorism pressure
  captured,
  surrendered,
  killed_by_taliban,  // clashes with the Afghan Taliban
  deserted,
  dispersed,           // members of dissolved cells
  cross_border_moves,  // cells that crossed the border (counted in the destination country)
  attacks,             // attacks the group carried out (solo or as lead)
  attacks_observed,
};
inline constexpr std::size_t group_metric_count = 14;
[[nodiscard]] std::string_view to_string(GroupMetric m) noexcept;

struct Recorder {
  std::size_t months = 0, districts = 0, groups = 0;
  // The district arrays change only by record_attack, so every one of them is zero wherever
  // `attacks` is (no deaths, reports or breakdowns without an attack): the result file's writer
  // reads them only where `attacks` is non-zero (tested in tests/output/test_chunk_codec.cpp).
  // [month][district]
  std::vector<std::int32_t> attacks, attacks_observed, fatalities, fatalities_observed;
  // [month][district][partner group]: joint attacks by partner
  std::vector<std::int32_t> joint_attacks;
  // [month][district][class]
  std::vector<std::int32_t> attacks_by_target, attacks_by_tactic;
  // [month][group][country][metric]
  std::vector<std::int64_t> group_monthly;
  std::vector<AttackEvent> events;
  std::uint64_t cell_days = 0;

  explicit Recorder(const World& w);
  Recorder() = default;

  [[nodiscard]] std::size_t md(std::size_t m, std::size_t d) const noexcept { return m * districts + d; }
  std::int64_t& group_metric(std::size_t m, GroupIndex g, Country c, GroupMetric k) noexcept {
    return group_monthly[((m * groups + g) * country_count + static_cast<std::size_t>(c)) * group_metric_count +
                         static_cast<std::size_t>(k)];
  }
  [[nodiscard]] std::int64_t group_metric(std::size_t m, GroupIndex g, Country c, GroupMetric k) const noexcept {
    return group_monthly[((m * groups + g) * country_count + static_cast<std::size_t>(c)) * group_metric_count +
                         static_cast<std::size_t>(k)];
  }
  void record_attack(const World& w, std::size_t month, const AttackEvent& e);
};

}  // namespace iskabm
