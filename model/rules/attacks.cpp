// Attacks (ODD §7). A cell of group g with m members and resources R in district d attacks on a
// day with probability 1 - exp(-h x (1 + mu_gc / H_gc)),
//   h = base_rate x propensity_g x m/(m + m_half) x R/(R + R_half) x O_gd x S_t x exp(-k P_d)
//       x (1 + capability_boost x s) x (1 + gain x E_g / (E_g + half))
// where s is the operational support of partners at hand (joint_attacks.cpp), S_t the season
// factor, P_d the total pressure (with the state response) and
//   O_gd, the target opportunity within reach: the own district plus attack.reach x neighbours
//     (urban centres count attack.urban_opportunity), plus with model.urban_network the urban
//     centres u beyond adjacency within 4 x decay, each network.reach x O_u x exp(-km / decay)
//     x (1 + safe_house_factor where g or an ally with a logistical or operational tie has members)
//     x (cross_border_factor x the border multiplier, for a centre in the other country);
//   the capability term (model.capability) uses the group's experience E_g (group_memory.cpp);
//   mu_gc / H_gc (model.self_excitation) spreads the group's triggered intensity in the cell's
//     country c over its cells there in proportion to their h (H_gc: the sum of h), so that the
//     expected triggered attacks per day are mu_gc.
// The attack's district is drawn in proportion to those opportunities; its partner (joint
// attack) comes from joint_attacks.cpp; its target class from the group's weights (the Taliban
// only where they are present); its tactic from the group's weights; its fatalities are
//   floor(exp(ln(median_tactic x lethality_g x sectarian x urban x joint x learned) + sigma_tactic Z)),
// learned = 1 + capability.lethality_gain x E_g / (E_g + half) with model.capability (else 1).
// The attack costs the cell its tactic's cost; observation.cpp decides whether it is reported,
// group_memory.cpp whether it triggers a state response.
#include <algorithm>
#include <array>
#include <cmath>

#include "model/rules/draws.hpp"
#include "model/rules/rules.hpp"

namespace iskabm::rules {

namespace {
struct TacticParams {
  double median, sigma, cost;
};
TacticParams tactic_params(const Parameters& p, Tactic t) noexcept {
  switch (t) {
    case Tactic::suicide: return {p.fatalities_suicide_median, p.fatalities_suicide_sigma, p.attack_cost_suicide};
    case Tactic::ied: return {p.fatalities_ied_median, p.fatalities_ied_sigma, p.attack_cost_ied};
    case Tactic::armed_assault:
      return {p.fatalities_armed_assault_median, p.fatalities_armed_assault_sigma, p.attack_cost_armed_assault};
    case Tactic::other: return {p.fatalities_other_median, p.fatalities_other_sigma, p.attack_cost_other};
  }
  return {1, 1, 0};
}

// Friends of each group for the urban network's safe houses: itself and the groups it has an
// active logistical or operational tie with (bit h of entry g).
using FriendTable = std::array<std::uint32_t, max_groups>;
FriendTable safe_house_friends(const World& w, DayNumber day) noexcept {
  FriendTable f{};
  for (GroupIndex g = 0; g < w.config.group_count(); ++g) f[g] |= std::uint32_t{1} << g;
  for (const auto& t : w.config.ties)
    if ((t.type == TieType::logistical || t.type == TieType::operational) && t.active(day))
      f[t.first] |= std::uint32_t{1} << t.second, f[t.second] |= std::uint32_t{1} << t.first;
  return f;
}

// Weight of the k-th urban centre of d's network for group g today.
double network_weight(const World& w, const State& s, const Day& day, const FriendTable& friends, GroupIndex g,
                      std::uint32_t k) noexcept {
  const auto u = w.network_target[k];
  const bool safe_house = any_present(s, friends[g], u);
  const auto& p = w.config.parameters;
  return w.network_weight[k] * day.conditions->network[u] * (safe_house ? 1.0 + p.network_safe_house_factor : 1.0) *
         (w.network_cross_border[k] ? p.network_cross_border_factor * day.conditions->border : 1.0);
}

// O_gd: target opportunity within reach of a cell of g in d. It depends on the day's members only
// (attacks move no one), so it is computed once per group and district a day and kept in s.opportunity.
double opportunity(const World& w, State& s, const Day& day, const FriendTable& friends, GroupIndex g,
                   DistrictIndex d) noexcept {
  double& cached = s.opportunity[g * w.districts() + d];
  if (cached >= 0) return cached;
  s.opportunity_known.push_back(static_cast<std::uint32_t>(&cached - s.opportunity.data()));
  double o = w.reach_opportunity[d];
  for (auto k = w.network_offset[d]; k < w.network_offset[d + 1]; ++k) o += network_weight(w, s, day, friends, g, k);
  return cached = o;
}

// The attack's district for x uniform on [0, O_gd): d, a neighbour, or a centre of d's network.
DistrictIndex attack_location(const World& w, const State& s, const Day& day, const FriendTable& friends, GroupIndex g,
                              DistrictIndex d, double x) noexcept {
  const auto first = w.location_offset[d], last = w.location_offset[d + 1];
  if (x < w.reach_opportunity[d] || w.network_offset[d] == w.network_offset[d + 1]) {
    auto k = first;
    while (k + 1 < last && w.location_cumulative[k] <= x) ++k;
    return k == first ? d : w.geography->neighbours(d)[k - first - 1];
  }
  x -= w.reach_opportunity[d];
  auto k = w.network_offset[d];
  for (; k + 1 < w.network_offset[d + 1]; ++k) {
    const double wk = network_weight(w, s, day, friends, g, k);
    if (x < wk) break;
    x -= wk;
  }
  return w.network_target[k];
}
}  // namespace

void attacks(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  const auto& mech = w.config.mechanisms;
  const auto& geo = *w.geography;
  auto& c = s.cells;
  const auto friends = safe_house_friends(w, day.number);
  for (const auto k : s.opportunity_known) s.opportunity[k] = -1.0;  // yesterday's, forgotten
  s.opportunity_known.clear();
  double capability[max_groups], lethality[max_groups];
  for (GroupIndex g = 0; g < w.config.group_count(); ++g) {
    const double learned = mech.capability ? s.experience[g] / (s.experience[g] + p.capability_half_attacks) : 0.0;
    capability[g] = 1.0 + p.capability_gain * learned;
    lethality[g] = 1.0 + p.capability_lethality_gain * learned;
  }

  // Pass 1: every cell's own hazard h, and their sums per group and country.
  double group_hazard[max_groups][country_count] = {};
  for (std::size_t i = 0; i < c.count; ++i) {
    s.hazard[i] = 0.0;
    if (!c.alive[i] || c.members[i] == 0) continue;
    const auto g = c.group[i];
    const auto& group = w.config.groups[g];
    if (group.attack_propensity <= 0 || day.number < group.active_from) continue;
    const auto d = c.district[i];
    const double m = c.members[i], res = c.resources[i];
    const double h = p.attack_base_rate * group.attack_propensity * m / (m + p.attack_capability_half_members) * res /
                     (res + p.attack_capability_half_resources) * opportunity(w, s, day, friends, g, d) * day.season *
                     std::exp(-p.attack_pressure_suppression * total_pressure(s, day, d)) *
                     (1.0 + p.joint_capability_boost * operational_support(w, s, g, d, day.number)) * capability[g];
    s.hazard[i] = h;
    group_hazard[g][static_cast<std::size_t>(geo.country[d])] += h;
  }

  // Pass 2: draws, in slot order.
  for (std::size_t i = 0; i < c.count; ++i) {
    double h = s.hazard[i];
    if (!(h > 0)) continue;
    const auto g = c.group[i];
    const auto& group = w.config.groups[g];
    const auto d = c.district[i];
    if (mech.self_excitation) {
      const auto country = static_cast<std::size_t>(geo.country[d]);
      h *= 1.0 + s.excitation[g * country_count + country] / group_hazard[g][country];
    }
    auto rng = cell_stream(w, s, day, i, Purpose::attack);
    if (!(rng.uniform() < -std::expm1(-h))) continue;

    const auto loc = attack_location(w, s, day, friends, g, d, rng.uniform() * opportunity(w, s, day, friends, g, d));
    const bool urban = w.config.urban[loc] != 0;
    auto joint_rng = day.stream(Purpose::joint_attack, c.uid[i]);
    const int partner = choose_joint_partner(w, s, g, d, day.number, joint_rng.uniform());

    double target_w[target_class_count];
    for (std::size_t k = 0; k < target_class_count; ++k) target_w[k] = group.target_weights[k];
    target_w[static_cast<std::size_t>(TargetClass::taliban)] *= day.conditions->taliban_presence[loc];
    double tw_total = 0;
    for (double x : target_w) tw_total += x;
    if (tw_total <= 0) target_w[static_cast<std::size_t>(TargetClass::civilians)] = 1.0;
    const auto target = static_cast<TargetClass>(categorical(rng, target_w));
    double tactic_w[tactic_count];
    for (std::size_t k = 0; k < tactic_count; ++k) tactic_w[k] = group.tactic_weights[k];
    const auto tactic = static_cast<Tactic>(categorical(rng, tactic_w));

    const auto tp = tactic_params(p, tactic);
    double median = tp.median * group.lethality * lethality[g];
    if (target == TargetClass::sectarian) median *= p.fatalities_sectarian_factor;
    if (urban) median *= p.fatalities_urban_factor;
    if (partner >= 0) median *= p.fatalities_joint_factor;
    const double f = std::floor(std::exp(std::log(median) + tp.sigma * standard_normal(rng)));
    const auto fatalities = static_cast<std::int32_t>(std::min(f, 5000.0));
    c.resources[i] = std::max(0.0, c.resources[i] - tp.cost);

    const int year = w.calendar.first_year + w.calendar.year_index[day.index];
    auto obs_rng = day.stream(Purpose::observation, c.uid[i]);
    const auto o = observe(w, fatalities, loc, partner >= 0, year, day.conditions->reporting[loc], obs_rng);
    r.record_attack(w, day.month,
                    AttackEvent{day.number, loc, g, static_cast<std::int8_t>(partner), target, tactic, fatalities,
                                o.observed, o.claimed, o.joint_claimed, c.uid[i]});
    ++s.attacks_today[g * country_count + static_cast<std::size_t>(geo.country[loc])];
    respond_to_attack(w, s, loc, fatalities);
  }
}

}  // namespace iskabm::rules
