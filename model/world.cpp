#include "model/world.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/errors.hpp"

namespace iskabm {

namespace {

double actor_weight(const Parameters& p, PressureActor a, int what) {
  // what: 0 kill, 1 capture, 2 collateral
  switch (a) {
    case PressureActor::afghan_forces:
      return what == 0 ? p.afghan_forces_kill_weight : what == 1 ? p.afghan_forces_capture_weight : p.afghan_forces_collateral;
    case PressureActor::us_air:
      return what == 0 ? p.us_air_kill_weight : what == 1 ? p.us_air_capture_weight : p.us_air_collateral;
    case PressureActor::pakistan_military:
      return what == 0 ? p.pakistan_military_kill_weight
                       : what == 1 ? p.pakistan_military_capture_weight : p.pakistan_military_collateral;
    case PressureActor::taliban_state:
      return what == 0 ? p.taliban_state_kill_weight
                       : what == 1 ? p.taliban_state_capture_weight : p.taliban_state_collateral;
  }
  return 0.0;
}

PressureSegment make_segment(const World& w, DayNumber first_day) {
  const auto n = w.districts();
  const auto& p = w.config.parameters;
  PressureSegment s;
  s.first_day = first_day;
  s.by_actor.assign(pressure_actor_count * n, 0.0f);
  for (const auto& e : w.config.pressure)
    if (first_day >= e.start && first_day <= e.end)
      for (auto d : e.districts) s.by_actor[static_cast<std::size_t>(e.actor) * n + d] += static_cast<float>(e.level);
  s.total.assign(n, 0.0);
  s.weighted_kill.assign(n, 0.0);
  s.weighted_capture.assign(n, 0.0);
  s.civilian_harm.assign(n, 0.0);
  for (std::size_t a = 0; a < pressure_actor_count; ++a) {
    const auto actor = static_cast<PressureActor>(a);
    for (std::size_t d = 0; d < n; ++d) {
      const double level = s.by_actor[a * n + d];
      s.total[d] += level;
      s.weighted_kill[d] += level * actor_weight(p, actor, 0);
      s.weighted_capture[d] += level * actor_weight(p, actor, 1);
      s.civilian_harm[d] += level * actor_weight(p, actor, 2);
    }
  }
  return s;
}

}  // namespace

World make_world(const Geography& geography, ModelConfig config) {
  World w;
  w.geography = &geography;
  w.config = std::move(config);
  const auto& geo = geography;
  const auto& p = w.config.parameters;
  w.calendar = make_season_calendar(w.config.start, w.config.end);

  const auto n = geo.size();
  for (DistrictIndex d = 0; d < n; ++d)
    if (geo.neighbours(d).size() > max_degree)
      throw Error(fmt::format("district {} has {} neighbours; at most {} are supported", geo.district_id[d],
                              geo.neighbours(d).size(), max_degree));
  w.opportunity.resize(n);
  for (std::size_t d = 0; d < n; ++d) w.opportunity[d] = w.config.urban[d] ? p.attack_urban_opportunity : 1.0;
  w.reach_opportunity.resize(n);
  w.location_offset.resize(n + 1);
  w.location_cumulative.clear();
  for (DistrictIndex d = 0; d < n; ++d) {
    w.location_offset[d] = static_cast<std::uint32_t>(w.location_cumulative.size());
    double cum = w.opportunity[d];
    w.location_cumulative.push_back(cum);
    for (auto e : geo.neighbours(d)) {
      cum += p.attack_reach * w.opportunity[e];
      w.location_cumulative.push_back(cum);
    }
    w.reach_opportunity[d] = cum;
  }
  w.location_offset[n] = static_cast<std::uint32_t>(w.location_cumulative.size());

  // Pressure segments: a new one wherever an episode starts or ends inside the window.
  std::set<DayNumber> changes{w.config.start};
  for (const auto& e : w.config.pressure) {
    if (e.start > w.config.start && e.start <= w.config.end) changes.insert(e.start);
    if (e.end >= w.config.start && e.end < w.config.end) changes.insert(e.end + 1);
  }
  for (auto day : changes) w.segments.push_back(make_segment(w, day));
  w.segment_of_day.resize(w.days());
  std::size_t seg = 0;
  for (std::size_t i = 0; i < w.days(); ++i) {
    while (seg + 1 < w.segments.size() && w.segments[seg + 1].first_day <= w.day_number(i)) ++seg;
    w.segment_of_day[i] = static_cast<std::uint16_t>(seg);
  }
  return w;
}

}  // namespace iskabm
