// Resources (ODD §7). Each day a cell of m members gains
//   m x (local_income x (1 + logistical_share x s) + external_funding_g) - m x upkeep
// where s is the strength of the group's strongest active logistical tie (0 if none), and
// resources never fall below zero. Attacks spend resources (attacks.cpp).
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

double strongest_tie(const World& w, GroupIndex g, TieType type, DayNumber day) noexcept {
  double best = 0.0;
  for (const auto& t : w.config.ties)
    if (t.type == type && (t.first == g || t.second == g) && t.active(day))
      best = std::max(best, w.tie_strength(t.quality));
  return best;
}

void resources(const World& w, State& s, const Day& day) noexcept {
  const auto& funding = day.conditions->funding;
  const auto& p = w.config.parameters;
  double net_per_member[max_groups];
  for (GroupIndex g = 0; g < w.config.group_count(); ++g)
    net_per_member[g] = p.resources_local_income * (1.0 + p.resources_logistical_share *
                                                              strongest_tie(w, g, TieType::logistical, day.number)) +
                        w.config.groups[g].external_funding * funding[g] - p.resources_upkeep;
  auto& c = s.cells;
  for (std::size_t i = 0; i < c.count; ++i)
    if (c.alive[i]) c.resources[i] = std::max(0.0, c.resources[i] + c.members[i] * net_per_member[c.group[i]]);
}

}  // namespace iskabm::rules
