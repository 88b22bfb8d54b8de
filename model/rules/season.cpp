// Seasonality (ODD §7): the attack hazard is multiplied by
//   1 + (F - 1) a_y  in the fighting season (April-October),
//   1 + (W - 1) a_y  in the winter lull (December-February), 1 in March and November,
// and by R during Ramadan, where a_y is the replicate's amplitude for the year.
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

double season_factor(const World& w, const State& s, std::size_t day_index) noexcept {
  const auto& p = w.config.parameters;
  const auto& c = w.calendar;
  const double a = s.year_amplitude[c.year_index[day_index]];
  double f = 1.0;
  switch (c.phase[day_index]) {
    case SeasonPhase::fighting_season: f = 1.0 + (p.season_fighting_season_factor - 1.0) * a; break;
    case SeasonPhase::winter_lull: f = 1.0 + (p.season_winter_lull_factor - 1.0) * a; break;
    case SeasonPhase::spring: break;
  }
  f = std::max(f, 0.05);
  if (c.ramadan[day_index]) f *= p.season_ramadan_factor;
  return f;
}

}  // namespace iskabm::rules
