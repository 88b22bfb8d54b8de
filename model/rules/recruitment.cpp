// Recruitment (ODD §7). A cell of m members in district d recruits Poisson(lambda) members a day:
//   lambda = reach x (walk_in + per_member x m) x (1 + grievance x harm_d) x max(0, 1 - N_gd / K_gd)
// where harm_d is the civilian harm of counter-terrorism in d and, at the start of the day,
//   v1 (recruitment.district_capacity): N_gd = G_gd, the group's members in d, K_gd = that capacity;
//   v2 (model.carrying_capacity): N_gd = G_gd + rival_overlap x (other groups' members in d) and
//     K_gd = capacity.base x (population_d / 100,000)^exponent x (1 - Shia presence_d)
//            x (1 - taliban_exclusion x Taliban presence_d, for groups hostile to the Taliban)
//            x (abroad_factor outside the group's home country)
//            x exp(-km from d to the group's nearest foothold / range_km),
//     and, for a group with a strength ceiling C_g (scenario), lambda is further multiplied by
//     max(0, 1 - N_g / C_g), N_g the group's members in the model at the start of the day.
// Then ideological defections: each member of a cell of the second group of an active
// ideological tie defects with probability rate x strength to the largest co-located cell of
// the first group.
#include <algorithm>

#include "model/rules/draws.hpp"
#include "model/rules/rules.hpp"

namespace iskabm::rules {

namespace {
// Largest live cell of group g in district d (lowest slot on ties), or SIZE_MAX.
std::size_t largest_cell(const State& s, GroupIndex g, DistrictIndex d) noexcept {
  std::size_t best = SIZE_MAX;
  for (auto k = s.district_offset[d]; k < s.district_offset[d + 1]; ++k) {
    const auto i = s.district_cells[k];
    if (!s.cells.alive[i] || s.cells.group[i] != g) continue;
    if (best == SIZE_MAX || s.cells.members[i] > s.cells.members[best]) best = i;
  }
  return best;
}
}  // namespace

void recruit(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  const auto& geo = *w.geography;
  auto& c = s.cells;
  const auto n = w.districts();
  const auto groups = w.config.groups.size();
  const bool bounded = w.config.mechanisms.carrying_capacity;
  double group_room[max_groups];
  for (std::size_t g = 0; g < groups; ++g) {
    const double ceiling = w.config.groups[g].strength_ceiling;
    group_room[g] = bounded && ceiling > 0 ? std::max(0.0, 1.0 - static_cast<double>(s.group_total[g]) / ceiling) : 1.0;
  }
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i]) continue;
    const auto d = c.district[i];
    const auto g = c.group[i];
    double room;
    if (bounded) {
      const double capacity = day.conditions->capacity[g * n + d];
      if (!(capacity > 0)) continue;
      double others = 0;
      for (std::size_t h = 0; h < groups; ++h)
        if (h != g) others += s.group_members[h * n + d];
      room = (1.0 - (s.group_members[g * n + d] + p.capacity_rival_overlap * others) / capacity) * group_room[g];
    } else {
      room = 1.0 - s.group_members[g * n + d] / p.recruitment_district_capacity;
    }
    if (room <= 0) continue;
    const double lambda = p.recruitment_propaganda_reach * day.conditions->recruitment[c.group[i]] *
                          (p.recruitment_walk_in_rate + p.recruitment_per_member_rate * c.members[i]) *
                          (1.0 + p.recruitment_grievance_weight * day.conditions->civilian_harm[d]) * room;
    auto rng = cell_stream(w, s, day, i, Purpose::recruitment);
    const int k = poisson(rng, lambda);
    c.members[i] += k;
    r.group_metric(day.month, c.group[i], geo.country[d], GroupMetric::recruits) += k;
  }

  for (const auto& tie : w.config.ties) {
    if (tie.type != TieType::ideological || !tie.active(day.number)) continue;
    const double rate = p.defection_rate * w.tie_strength(tie.quality);
    if (rate <= 0) continue;
    for (std::size_t i = 0; i < c.count; ++i) {
      if (!c.alive[i] || c.group[i] != tie.second || c.members[i] == 0) continue;
      const auto d = c.district[i];
      if (s.group_members[tie.first * n + d] == 0) continue;
      const auto target = largest_cell(s, tie.first, d);
      if (target == SIZE_MAX) continue;
      auto rng = day.stream(Purpose::defection, c.uid[i] ^ (0x9E3779B97F4A7C15ULL * (tie.first + 1u)));
      const int k = binomial(rng, c.members[i], rate);
      c.members[i] -= k;
      c.members[target] += k;
      r.group_metric(day.month, tie.second, geo.country[d], GroupMetric::defections_out) += k;
      r.group_metric(day.month, tie.first, geo.country[d], GroupMetric::defections_in) += k;
    }
  }
}

}  // namespace iskabm::rules
