#include "model/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <span>

#include "base/errors.hpp"

namespace iskabm {

namespace {

double actor_weight(const Parameters& p, PressureActor a, int what) {
  // what: 0 kill, 1 capture, 2 collateral
  switch (a) {
    case PressureActor::afghan_forces:
      return what == 0   ? p.afghan_forces_kill_weight
             : what == 1 ? p.afghan_forces_capture_weight
                         : p.afghan_forces_collateral;
    case PressureActor::us_air:
      return what == 0 ? p.us_air_kill_weight : what == 1 ? p.us_air_capture_weight : p.us_air_collateral;
    case PressureActor::pakistan_military:
      return what == 0   ? p.pakistan_military_kill_weight
             : what == 1 ? p.pakistan_military_capture_weight
                         : p.pakistan_military_collateral;
    case PressureActor::taliban_state:
      return what == 0   ? p.taliban_state_kill_weight
             : what == 1 ? p.taliban_state_capture_weight
                         : p.taliban_state_collateral;
  }
  return 0.0;
}

// exp(-km to the nearest of `homes` / range_km) for every district (0 everywhere without homes).
std::vector<double> reach_from(const Geography& geo, std::span<const DistrictIndex> homes, double range_km) {
  std::vector<std::span<const double>> to_home;  // fetched once: the cache takes a lock
  for (auto h : homes) to_home.push_back(geo.distances_to(h));
  std::vector<double> reach(geo.size());
  for (DistrictIndex d = 0; d < geo.size(); ++d) {
    double km = std::numeric_limits<double>::infinity();
    for (const auto& row : to_home) km = std::min(km, row[d]);
    reach[d] = std::exp(-km / range_km);
  }
  return reach;
}

DayConditions make_conditions(const World& w, DayNumber day) {
  const auto n = w.districts();
  const auto& p = w.config.parameters;
  DayConditions s;
  s.first_day = day;
  s.by_actor.assign(pressure_actor_count * n, 0.0f);
  for (const auto& e : w.config.pressure)
    if (day >= e.start && day <= e.end)
      for (auto d : e.area.members)
        s.by_actor[static_cast<std::size_t>(e.actor) * n + d] += static_cast<float>(e.level);
  s.taliban_presence = w.config.taliban_presence;
  s.funding.fill(1.0);
  s.recruitment.fill(1.0);
  s.reporting.assign(n, 1.0);
  s.network.assign(n, 1.0);
  for (const auto& v : w.config.interventions) {
    if (day < v.start || day > v.end) continue;
    switch (v.kind) {
      case InterventionKind::pressure_multiplier:
        for (auto d : v.area.members)
          s.by_actor[static_cast<std::size_t>(v.actor) * n + d] *= static_cast<float>(v.value);
        break;
      case InterventionKind::border: s.border *= v.value; break;
      case InterventionKind::funding:
      case InterventionKind::recruitment: {
        auto& m = v.kind == InterventionKind::funding ? s.funding : s.recruitment;
        if (v.groups.empty())
          for (std::size_t g = 0; g < w.config.groups.size(); ++g) m[g] *= v.value;
        for (auto g : v.groups) m[g] *= v.value;
        break;
      }
      case InterventionKind::taliban_presence:
        for (auto d : v.area.members) s.taliban_presence[d] = v.value;
        break;
      case InterventionKind::reporting:
        for (auto d : v.area.members) s.reporting[d] *= v.value;
        break;
      case InterventionKind::network:
        for (auto d : v.area.members) s.network[d] *= v.value;
        break;
      case InterventionKind::reinforcement:
      case InterventionKind::losses:
      case InterventionKind::decapitation: break;
    }
  }
  // A group's reach: its footholds', and that of its reinforcements begun by today (a
  // reinforcement's district becomes a home from its start day, not before).
  std::vector<double> reach(w.foothold_reach);
  for (std::size_t v = 0; v < w.config.interventions.size(); ++v) {
    const auto& iv = w.config.interventions[v];
    if (w.reinforcement_reach[v].empty() || day < iv.start) continue;
    const auto g = iv.groups.front();
    for (std::size_t d = 0; d < n; ++d) reach[g * n + d] = std::max(reach[g * n + d], w.reinforcement_reach[v][d]);
  }
  s.capacity.assign(w.config.groups.size() * n, 0.0);
  for (std::size_t g = 0; g < w.config.groups.size(); ++g) {
    const auto& group = w.config.groups[g];
    for (std::size_t d = 0; d < n; ++d)
      s.capacity[g * n + d] =
          p.capacity_base * w.population_scale[d] *
          (group.hostile_to_taliban ? std::max(0.0, 1.0 - p.capacity_taliban_exclusion * s.taliban_presence[d]) : 1.0) *
          (w.geography->country[d] == group.home_country ? 1.0 : p.capacity_abroad_factor) * reach[g * n + d];
  }
  s.total.assign(n, 0.0);
  s.weighted_kill.assign(n, 0.0);
  s.weighted_capture.assign(n, 0.0);
  s.civilian_harm.assign(n, 0.0);
  for (std::size_t a = 0; a < pressure_actor_count; ++a) {
    const auto actor = static_cast<PressureActor>(a);
    for (std::size_t d = 0; d < n; ++d) {
      const auto level = static_cast<double>(s.by_actor[a * n + d]);
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

  // Carrying capacity: population scale, NaN population filled by the province's (else the
  // country's) median of known districts; Shia communities are not a recruitment pool for these
  // Sunni militant groups (unknown Shia presence counts as none).
  {
    std::vector<std::vector<double>> by_province(geo.province_count()), by_country(country_count);
    for (DistrictIndex d = 0; d < n; ++d)
      if (geo.has_population(d)) {
        by_province[geo.province[d]].push_back(geo.population[d]);
        by_country[static_cast<std::size_t>(geo.country[d])].push_back(geo.population[d]);
      }
    const auto median = [](std::vector<double> v) {
      if (v.empty()) return 100000.0;  // no figure anywhere: the reference district
      std::sort(v.begin(), v.end());
      const auto k = v.size() / 2;
      return v.size() % 2 ? v[k] : 0.5 * (v[k - 1] + v[k]);
    };
    w.population_scale.resize(n);
    for (DistrictIndex d = 0; d < n; ++d) {
      double pop = geo.population[d];
      if (std::isnan(pop)) {
        pop = by_province[geo.province[d]].empty() ? median(by_country[static_cast<std::size_t>(geo.country[d])])
                                                   : median(by_province[geo.province[d]]);
      }
      const double shia =
          d < geo.shia_presence.size() && !std::isnan(geo.shia_presence[d]) ? geo.shia_presence[d] : 0.0;
      w.population_scale[d] = std::pow(pop / 100000.0, p.capacity_population_exponent) * (1.0 - shia);
    }
  }

  // Foothold reach: distance to the group's nearest foothold, and to each of its reinforcement
  // districts (their own reach, applied from the reinforcement's start day: make_conditions).
  w.reinforcement_reach.assign(w.config.interventions.size(), {});
  std::vector<bool> reinforced(w.config.groups.size(), false);
  for (std::size_t v = 0; v < w.config.interventions.size(); ++v) {
    const auto& iv = w.config.interventions[v];
    if (iv.kind != InterventionKind::reinforcement || iv.groups.empty()) continue;
    w.reinforcement_reach[v] = reach_from(geo, iv.area.members, p.capacity_range_km);
    reinforced[iv.groups.front()] = true;
  }
  w.foothold_reach.assign(w.config.groups.size() * n, 1.0);
  for (std::size_t g = 0; g < w.config.groups.size(); ++g) {
    // A group with neither footholds nor reinforcements recruits anywhere (reach 1); one whose
    // only homes are reinforcements has none before they begin.
    const auto& footholds = w.config.groups[g].footholds;
    if (footholds.empty() && !reinforced[g]) continue;
    std::vector<DistrictIndex> homes;
    for (const auto& f : footholds) homes.push_back(f.district);
    const auto reach = reach_from(geo, homes, p.capacity_range_km);
    std::copy(reach.begin(), reach.end(), w.foothold_reach.begin() + static_cast<std::ptrdiff_t>(g * n));
  }

  // Urban network: urban centres within 4 x decay that are neither d nor its neighbours.
  w.network_offset.assign(n + 1, 0);
  if (w.config.mechanisms.urban_network) {
    std::vector<DistrictIndex> centres;
    for (DistrictIndex d = 0; d < n; ++d)
      if (w.config.urban[d]) centres.push_back(d);
    std::vector<std::span<const double>> to_centre;
    for (auto u : centres) to_centre.push_back(geo.distances_to(u));
    for (DistrictIndex d = 0; d < n; ++d) {
      const auto nb = geo.neighbours(d);
      for (std::size_t k = 0; k < centres.size(); ++k) {
        const auto u = centres[k];
        if (u == d || std::find(nb.begin(), nb.end(), u) != nb.end()) continue;
        const double km = to_centre[k][d];
        if (km > 4.0 * p.network_decay_km) continue;
        w.network_target.push_back(u);
        w.network_weight.push_back(p.network_reach * w.opportunity[u] * std::exp(-km / p.network_decay_km));
        w.network_cross_border.push_back(geo.country[u] != geo.country[d]);
      }
      w.network_offset[d + 1] = static_cast<std::uint32_t>(w.network_target.size());
    }
  }

  // Conditions: a new stretch wherever a pressure episode or intervention starts or ends, and
  // wherever a reinforcement begins.
  std::set<DayNumber> changes{w.config.start};
  const auto change_at = [&](DayNumber start, DayNumber end) {
    if (start > w.config.start && start <= w.config.end) changes.insert(start);
    if (end >= w.config.start && end < w.config.end) changes.insert(end + 1);
  };
  for (const auto& e : w.config.pressure) change_at(e.start, e.end);
  for (const auto& v : w.config.interventions)
    if (!acts_once(v.kind)) change_at(v.start, v.end);
    else if (v.kind == InterventionKind::reinforcement && v.start > w.config.start && v.start <= w.config.end)
      changes.insert(v.start);  // its district's reach (carrying capacity) from then on
  if (changes.size() > UINT16_MAX) throw Error("too many changes of conditions in one window");
  for (auto day : changes) w.conditions.push_back(make_conditions(w, day));
  w.conditions_of_day.resize(w.days());
  std::size_t k = 0;
  for (std::size_t i = 0; i < w.days(); ++i) {
    while (k + 1 < w.conditions.size() && w.conditions[k + 1].first_day <= w.day_number(i)) ++k;
    w.conditions_of_day[i] = static_cast<std::uint16_t>(k);
  }
  for (std::size_t v = 0; v < w.config.interventions.size(); ++v) {
    const auto& iv = w.config.interventions[v];
    if (acts_once(iv.kind) && iv.start >= w.config.start && iv.start <= w.config.end)
      w.due_interventions.push_back({static_cast<std::size_t>(iv.start - w.config.start), v});
  }
  std::stable_sort(w.due_interventions.begin(), w.due_interventions.end(),
                   [](const auto& a, const auto& b) { return a.day_index < b.day_index; });
  return w;
}

}  // namespace iskabm
