#include "model/recorder.hpp"

#include <array>

namespace iskabm {

std::string_view to_string(GroupMetric m) noexcept {
  static constexpr std::array<std::string_view, group_metric_count> names{
      "members",  "cells",           "recruits",          "defections_in", "defections_out", "killed",
      "captured", "surrendered",     "killed_by_taliban", "deserted",      "dispersed",      "cross_border_moves",
      "attacks",  "attacks_observed"};
  return names[static_cast<std::size_t>(m)];
}

Recorder::Recorder(const World& w)
    : months(static_cast<std::size_t>(w.calendar.months)), districts(w.districts()), groups(w.config.groups.size()) {
  attacks.assign(months * districts, 0);
  attacks_observed.assign(months * districts, 0);
  fatalities.assign(months * districts, 0);
  fatalities_observed.assign(months * districts, 0);
  joint_attacks.assign(months * districts * groups, 0);
  attacks_by_target.assign(months * districts * target_class_count, 0);
  attacks_by_tactic.assign(months * districts * tactic_count, 0);
  group_monthly.assign(months * groups * country_count * group_metric_count, 0);
  events.reserve(8192);
}

void Recorder::record_attack(const World& w, std::size_t month, const AttackEvent& e) {
  const auto i = md(month, e.district);
  attacks[i] += 1;
  fatalities[i] += e.fatalities;
  if (e.observed) {
    attacks_observed[i] += 1;
    fatalities_observed[i] += e.fatalities;
  }
  if (e.partner >= 0) joint_attacks[i * groups + static_cast<std::size_t>(e.partner)] += 1;
  attacks_by_target[i * target_class_count + static_cast<std::size_t>(e.target)] += 1;
  attacks_by_tactic[i * tactic_count + static_cast<std::size_t>(e.tactic)] += 1;
  const auto c = w.geography->country[e.district];
  group_metric(month, e.group, c, GroupMetric::attacks) += 1;
  if (e.observed) group_metric(month, e.group, c, GroupMetric::attacks_observed) += 1;
  events.push_back(e);
}

}  // namespace iskabm
