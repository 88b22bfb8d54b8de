// Attrition (ODD §7). Each member of a cell in district d is lost on a day with probability
//   q = kill_rate x K_d + capture_rate x C_d + surrender_rate x P_d x b + clash_rate x T_d x h
//       + desertion_rate x b            (capped at 0.9)
// where K_d and C_d are the actor-weighted pressure for killing and capturing, P_d the total
// pressure (each including the state response, group_memory.cpp), T_d the Taliban presence, h = 1 for groups hostile to
// the Taliban, and b the broke-surrender factor when the cell has no resources (else 1). The losses are split among the
// five causes in proportion to their terms (a multinomial draw), so each is counted separately.
#include <algorithm>

#include "model/rules/draws.hpp"
#include "model/rules/rules.hpp"

namespace iskabm::rules {

void attrition(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  const auto& geo = *w.geography;
  auto& c = s.cells;
  const auto& taliban_presence = day.conditions->taliban_presence;
  constexpr GroupMetric causes[] = {GroupMetric::killed, GroupMetric::captured, GroupMetric::surrendered,
                                    GroupMetric::killed_by_taliban, GroupMetric::deserted};
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i] || c.members[i] == 0) continue;
    const auto d = c.district[i];
    const double broke = c.resources[i] <= 0 ? p.attrition_broke_surrender_factor : 1.0;
    double q[5] = {
        p.attrition_kill_rate * kill_pressure(p, s, day, d),
        p.attrition_capture_rate * capture_pressure(p, s, day, d),
        p.attrition_surrender_rate * total_pressure(s, day, d) * broke,
        w.config.groups[c.group[i]].hostile_to_taliban ? p.attrition_taliban_clash_rate * taliban_presence[d] : 0.0,
        p.attrition_desertion_rate * broke,
    };
    double total = q[0] + q[1] + q[2] + q[3] + q[4];
    if (total <= 0) continue;
    if (total > 0.9) {
      for (double& x : q) x *= 0.9 / total;
      total = 0.9;
    }
    auto rng = cell_stream(w, s, day, i, Purpose::attrition);
    int lost = binomial(rng, c.members[i], total);
    if (lost == 0) continue;
    c.members[i] -= lost;
    s.members_lost_today[c.group[i]] += lost;
    double remaining = total;
    for (int k = 0; k < 5 && lost > 0; ++k) {
      const int n = k == 4 ? lost : binomial(rng, lost, remaining > 0 ? q[k] / remaining : 0.0);
      remaining -= q[k];
      lost -= n;
      r.group_metric(day.month, c.group[i], geo.country[d], causes[k]) += n;
    }
  }
}

}  // namespace iskabm::rules
