// Interventions that act once, on their start day (ODD §7.10), applied first thing that day:
//   reinforcement  adds `cells` cells of `members` members of the group in each district of the
//                  area (prisoners freed), counted as recruits;
//   losses         every cell of the groups in the area loses round(fraction x members) members
//                  (mass surrenders, an ally dismantled), counted as surrendered, captured or
//                  killed; a cell left empty is dissolved at once; with model.capability the
//                  group's experience keeps 1 - loss_weight x lost / members before the loss
//                  (§7.12, as for attrition's losses);
//   decapitation   the groups' experience (§7.12) and self-excitation (§7.12) are cut by the
//                  fraction: leaders and their know-how lost.
// No random numbers are drawn: the outcome is fixed by the scenario.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

namespace {

void reinforce(const World& w, State& s, Recorder& r, const Day& day, const Intervention& v) {
  const auto& p = w.config.parameters;
  const auto g = v.groups.front();
  // Keyed by the intervention's label, not its place in the list, so that removing or adding
  // another intervention leaves these cells' random streams (common random numbers) alone.
  const std::string tag = w.config.groups[g].id + "@" + std::to_string(day.index) + "#" + v.label;
  for (auto d : v.area.members)
    for (int k = 0; k < v.cells; ++k) {
      if (s.cells.add(initial_cell_uid(tag, d, k), g, d, v.members, p.resources_initial_per_member * v.members) ==
          SIZE_MAX) {
        ++s.fission_skipped;
        continue;
      }
      r.group_metric(day.month, g, w.geography->country[d], GroupMetric::recruits) += v.members;
    }
}

void remove_members(const World& w, State& s, Recorder& r, const Day& day, const Intervention& v) {
  constexpr GroupMetric counted_as[] = {GroupMetric::surrendered, GroupMetric::captured, GroupMetric::killed};
  std::vector<std::uint8_t> in_area(w.districts(), 0);
  for (auto d : v.area.members) in_area[d] = 1;
  auto& c = s.cells;
  const auto groups = w.config.groups.size();
  std::vector<std::int64_t> before(groups, 0), lost_by_group(groups, 0);
  for (std::size_t i = 0; i < c.count; ++i)
    if (c.alive[i]) before[c.group[i]] += c.members[i];
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i] || c.members[i] == 0 || !in_area[c.district[i]]) continue;
    if (std::find(v.groups.begin(), v.groups.end(), c.group[i]) == v.groups.end()) continue;
    const auto lost = static_cast<int>(std::lround(v.value * c.members[i]));
    if (lost == 0) continue;
    c.members[i] -= lost;
    if (c.members[i] == 0) c.alive[i] = 0;  // dissolved: it neither recruits nor acts again
    lost_by_group[c.group[i]] += lost;
    r.group_metric(day.month, c.group[i], w.geography->country[c.district[i]],
                   counted_as[static_cast<std::size_t>(v.loss)]) += lost;
  }
  if (!w.config.mechanisms.capability) return;
  const auto& p = w.config.parameters;
  for (std::size_t g = 0; g < groups; ++g)
    if (lost_by_group[g] > 0)
      s.experience[g] *= std::max(
          0.0, 1.0 - p.capability_loss_weight * static_cast<double>(lost_by_group[g]) / static_cast<double>(before[g]));
}

void decapitate(State& s, const Intervention& v) {
  for (auto g : v.groups) {
    s.experience[g] *= 1.0 - v.value;
    for (std::size_t k = 0; k < country_count; ++k) s.excitation[g * country_count + k] *= 1.0 - v.value;
  }
}

}  // namespace

void apply_due_interventions(const World& w, State& s, Recorder& r, const Day& day) {
  // They are few: a linear scan of the (sorted) list is cheap.
  for (const auto& due : w.due_interventions) {
    if (due.day_index != day.index) continue;
    const auto& v = w.config.interventions[due.intervention];
    switch (v.kind) {
      case InterventionKind::reinforcement: reinforce(w, s, r, day, v); break;
      case InterventionKind::losses: remove_members(w, s, r, day, v); break;
      case InterventionKind::decapitation: decapitate(s, v); break;
      default: break;
    }
  }
}

}  // namespace iskabm::rules
