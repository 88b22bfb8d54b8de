// Attacks (ODD §7). A cell of group g with m members and resources R in district d attacks on a
// day with probability 1 - exp(-h),
//   h = base_rate x propensity_g x m/(m + m_half) x R/(R + R_half) x O_d x S_t x exp(-k P_d)
//       x (1 + capability_boost x s)
// where s is the operational support of partners at hand (joint_attacks.cpp), O_d the target opportunity within reach
// (own district plus reach x neighbours; urban centres count attack.urban_opportunity), S_t the season factor and P_d
// the total pressure. The attack's district is d or a neighbour in proportion to opportunity; its partner (joint
// attack) comes from joint_attacks.cpp; its target class from the group's weights (the Taliban
// only where they are present); its tactic from the group's weights; its fatalities are
//   floor(exp(ln(median_tactic x lethality_g x sectarian x urban x joint) + sigma_tactic Z)).
// The attack costs the cell its tactic's cost; observation.cpp decides whether it is reported.
#include <algorithm>
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

DistrictIndex attack_location(const World& w, DistrictIndex d, double u) noexcept {
  const auto first = w.location_offset[d], last = w.location_offset[d + 1];
  const double x = u * w.location_cumulative[last - 1];
  auto k = first;
  while (k + 1 < last && w.location_cumulative[k] <= x) ++k;
  return k == first ? d : w.geography->neighbours(d)[k - first - 1];
}
}  // namespace

void attacks(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  auto& c = s.cells;
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i] || c.members[i] == 0) continue;
    const auto g = c.group[i];
    const auto& group = w.config.groups[g];
    if (group.attack_propensity <= 0 || day.number < group.active_from) continue;
    const auto d = c.district[i];
    const double m = c.members[i], res = c.resources[i];
    const double h = p.attack_base_rate * group.attack_propensity * m / (m + p.attack_capability_half_members) * res /
                     (res + p.attack_capability_half_resources) * w.reach_opportunity[d] * day.season *
                     std::exp(-p.attack_pressure_suppression * day.conditions->total[d]) *
                     (1.0 + p.joint_capability_boost * operational_support(w, s, g, d, day.number));
    auto rng = day.stream(Purpose::attack, c.uid[i]);
    if (!(rng.uniform() < -std::expm1(-h))) continue;

    const auto loc = attack_location(w, d, rng.uniform());
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
    double median = tp.median * group.lethality;
    if (target == TargetClass::sectarian) median *= p.fatalities_sectarian_factor;
    if (urban) median *= p.fatalities_urban_factor;
    if (partner >= 0) median *= p.fatalities_joint_factor;
    const double f = std::floor(std::exp(std::log(median) + tp.sigma * standard_normal(rng)));
    const auto fatalities = static_cast<std::int32_t>(std::min(f, 5000.0));
    c.resources[i] = std::max(0.0, c.resources[i] - tp.cost);

    auto obs_rng = day.stream(Purpose::observation, c.uid[i]);
    const auto o = observe(w, fatalities, loc, partner >= 0, obs_rng);
    r.record_attack(w, day.month,
                    AttackEvent{day.number, loc, g, static_cast<std::int8_t>(partner), target, tactic, fatalities,
                                o.observed, o.claimed, o.joint_claimed, c.uid[i]});
  }
}

}  // namespace iskabm::rules
