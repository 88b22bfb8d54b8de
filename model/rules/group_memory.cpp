// Group memory (ODD §7.12-7.14): the model-v2 state that outlives a day.
//
// Self-excitation (model.self_excitation). Each group g has, per country c, a triggered attack
// intensity mu_gc (attacks per day). At the end of a day with n_gc attacks located in c,
//   mu_gc <- mu_gc x a + branching x (1 - a) x n_gc,   a = exp(-1 / kernel_days),
// so one attack adds, over the following days, `branching` attacks in expectation with an
// exponential delay of mean ~kernel_days: a discrete Hawkes process with branching ratio < 1.
// attacks.cpp spreads mu_gc over the group's cells in c in proportion to their own hazard.
//
// Capability (model.capability). Experience E_g (recent attacks) fades, and is lost with members
// only as far as capability.loss_weight says (0 by default: know-how is kept):
//   E_g <- E_g x exp(-1 / memory_days) x (1 - loss_weight x lost_g / members_g) + n_g
// and raises every cell's hazard by 1 + gain x E_g / (E_g + half_attacks) (attacks.cpp).
//
// State response (model.state_response). An attack killing at least response.threshold victims
// adds response.level to its province's response pressure R_p, which decays as
//   R_p <- R_p x exp(-1 / duration_days)
// and acts like counter-terrorism pressure in every district of the province from the next day
// (attrition, attack suppression, flight), with its own kill and capture weights.
#include <cmath>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

void respond_to_attack(const World& w, State& s, DistrictIndex d, int fatalities) noexcept {
  const auto& p = w.config.parameters;
  if (!w.config.mechanisms.state_response || fatalities < p.response_threshold) return;
  s.response[w.geography->province[d]] += p.response_level;
}

void update_group_memory(const World& w, State& s, const Day&) noexcept {
  const auto& p = w.config.parameters;
  const auto& m = w.config.mechanisms;
  const auto groups = w.config.groups.size();
  if (m.self_excitation) {
    const double a = std::exp(-1.0 / p.excitation_kernel_days);
    for (std::size_t k = 0; k < groups * country_count; ++k)
      s.excitation[k] = s.excitation[k] * a + p.excitation_branching * (1.0 - a) * s.attacks_today[k];
  }
  if (m.capability) {
    const double fade = std::exp(-1.0 / p.capability_memory_days);
    for (std::size_t g = 0; g < groups; ++g) {
      const auto members = s.group_total[g];
      const double kept =
          members > 0
              ? std::max(0.0, 1.0 - p.capability_loss_weight * static_cast<double>(s.members_lost_today[g]) / members)
              : 1.0;
      std::int64_t attacks = 0;
      for (std::size_t c = 0; c < country_count; ++c) attacks += s.attacks_today[g * country_count + c];
      s.experience[g] = s.experience[g] * fade * kept + static_cast<double>(attacks);
    }
  }
  if (m.state_response) {
    const double fade = std::exp(-1.0 / p.response_duration_days);
    for (auto& r : s.response) r *= fade;
    s.response_pressure = s.response;
  }
  std::fill(s.attacks_today.begin(), s.attacks_today.end(), 0);
  std::fill(s.members_lost_today.begin(), s.members_lost_today.end(), 0);
}

}  // namespace iskabm::rules
