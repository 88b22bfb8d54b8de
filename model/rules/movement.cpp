// Movement (ODD §7). A cell in district d relocates with probability
//   min(1, base_rate + pressure_rate x P_d)     (P: total pressure with the state response)
// to a neighbour e chosen with weight exp(-aversion x P_e), times cross_border_permeability for a
// neighbour across the border (times safe_passage_factor if the group has an active logistical
// tie), times 1 + cohesion where the group or a logistically tied ally already has members (at the
// start of the day). Whole cells move, so members are conserved; cells move only along adjacency.
#include <algorithm>
#include <cmath>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

void movement(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  const auto& geo = *w.geography;
  const auto pressure = [&](DistrictIndex d) { return total_pressure(s, day, d); };
  const auto groups = w.config.group_count();
  double permeability[max_groups];
  std::uint32_t friendly[max_groups] = {};  // bit h of friendly[g]: g's cells are welcome where h is
  for (GroupIndex g = 0; g < groups; ++g) {
    permeability[g] = p.movement_cross_border_permeability * day.conditions->border *
                      (strongest_tie(w, g, TieType::logistical, day.number) > 0 ? p.movement_safe_passage_factor : 1.0);
    friendly[g] |= std::uint32_t{1} << g;
  }
  for (const auto& t : w.config.ties)
    if (t.type == TieType::logistical && t.active(day.number))
      friendly[t.first] |= std::uint32_t{1} << t.second, friendly[t.second] |= std::uint32_t{1} << t.first;
  auto& c = s.cells;
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i]) continue;
    const auto d = c.district[i];
    const double p_move = std::min(1.0, p.movement_base_rate + p.movement_pressure_rate * pressure(d));
    auto rng = cell_stream(w, s, day, i, Purpose::movement);
    if (!(rng.uniform() < p_move)) continue;
    const auto nb = geo.neighbours(d);
    const auto base = geo.adjacency_offset[d];
    double weight[max_degree];
    double total = 0;
    const auto g = c.group[i];
    for (std::size_t k = 0; k < nb.size(); ++k) {
      const bool network = any_present(s, friendly[g], nb[k]);
      total += weight[k] = std::exp(-p.movement_pressure_aversion * pressure(nb[k])) *
                           (geo.adjacency_cross_border[base + k] ? permeability[g] : 1.0) *
                           (network ? 1.0 + p.movement_cohesion : 1.0);
    }
    if (!(total > 0)) continue;
    const double x = rng.uniform() * total;
    std::size_t k = 0, last_positive = 0;
    double cum = 0;
    for (; k < nb.size(); ++k) {
      if (weight[k] > 0) last_positive = k;
      cum += weight[k];
      if (x < cum && weight[k] > 0) break;
    }
    if (k == nb.size()) k = last_positive;  // rounding at the top end
    c.district[i] = nb[k];
    if (geo.adjacency_cross_border[base + k])
      r.group_metric(day.month, g, geo.country[nb[k]], GroupMetric::cross_border_moves) += 1;
  }
}

}  // namespace iskabm::rules
