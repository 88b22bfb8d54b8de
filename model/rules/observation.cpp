// Observation (ODD §7.9): the bridge between simulated attacks and the notable-incident record.
// v1: an attack with F fatalities is reported with probability
//   p_routine = logistic(intercept + fatality_slope x ln(1 + F) + urban_effect x urban
//                        + pakistan_effect x PAK);
// v2 (model.reporting) adds to the routine channel a year term, year_trend x (clamp(year, 2015,
// 2018) - 2017) (the record's coverage grows over 2015-2018; years outside the observed window
// are reported as its nearest year), and a second, independent channel that reports
// mass-casualty attacks whatever the year or place,
//   p_mass = 1 / (1 + (mass_casualty_half / F)^mass_casualty_steepness)   (0 for F = 0),
//   p = 1 - (1 - p_routine) x (1 - p_mass).
// A `reporting` intervention (ODD §7.10) multiplies p by its factor in its area (capped at 1): a
// change of reporting regime, such as the record after the fall of the republic in 2021.
// A reported attack is claimed by (or named as) its group with probability claim_probability;
// a reported joint attack names the partner with probability joint_claim_probability.
#include <algorithm>
#include <cmath>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

double reporting_probability(const Parameters& p, const Mechanisms& m, int fatalities, bool urban, bool pakistan,
                             int year) noexcept {
  double x = p.observation_intercept + p.observation_fatality_slope * std::log1p(fatalities) +
             (urban ? p.observation_urban_effect : 0.0) + (pakistan ? p.observation_pakistan_effect : 0.0);
  if (!m.reporting) return 1.0 / (1.0 + std::exp(-x));
  x += p.observation_year_trend * (std::clamp(year, 2015, 2018) - 2017);
  const double routine = 1.0 / (1.0 + std::exp(-x));
  const double mass =
      fatalities > 0
          ? 1.0 / (1.0 + std::pow(p.observation_mass_casualty_half / fatalities, p.observation_mass_casualty_steepness))
          : 0.0;
  return 1.0 - (1.0 - routine) * (1.0 - mass);
}

Observation observe(const World& w, int fatalities, DistrictIndex d, bool joint, int year, double reporting,
                    RandomStream& rng) noexcept {
  const auto& p = w.config.parameters;
  const double pr =
      std::min(1.0, reporting * reporting_probability(p, w.config.mechanisms, fatalities, w.config.urban[d] != 0,
                                                      w.geography->country[d] == Country::pakistan, year));
  Observation o{};
  o.observed = rng.uniform() < pr;
  const double u_claim = rng.uniform(), u_joint = rng.uniform();  // drawn always: streams stay aligned
  o.claimed = o.observed && u_claim < p.observation_claim_probability;
  o.joint_claimed = o.observed && joint && u_joint < p.observation_joint_claim_probability;
  return o;
}

}  // namespace iskabm::rules
