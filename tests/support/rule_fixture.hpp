#pragma once
// A constructed world for testing one rule at a time: three groups on the bundled map (A, hostile
// to the Taliban and attacking; B and C, neither), no initial cells, and a day whose conditions
// the test sets district by district (pressure, Taliban presence, civilian harm, border,
// multipliers). A test places the cells it needs, sets parameters, optionally a DrawScript
// (support/scripted_draws.hpp), and runs the rule on rule_world.day(...).
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "model/recorder.hpp"
#include "model/rules/rules.hpp"
#include "model/state.hpp"
#include "support/model_fixture.hpp"

namespace iskabm::test {

// Window 2016 (a leap year; Ramadan 6 June - 5 July in the tabular calendar). `extra` is TOML
// appended to the configuration: ties, interventions, more [districts] or [parameters].
inline std::string rule_config_text(const std::string& extra = "") {
  return R"(title = "rule tests"
[run]
start = 2016-01-01
end = 2016-12-31
seed = 7
max_cells = 50000

[[group]]
id = "A"
name = "Group A"
home_country = "Afghanistan"
hostile_to_taliban = true
active_from = 2000-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 2.0
targets = { civilians = 1.0 }
tactics = { ied = 1.0 }
footholds = [ { district = "AFG-029", cells = 1, members = 10 } ]

[[group]]
id = "B"
name = "Group B"
home_country = "Pakistan"
hostile_to_taliban = false
active_from = 2000-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 1.0
targets = { civilians = 1.0 }
tactics = { ied = 1.0 }
footholds = [ { district = "AFG-029", cells = 1, members = 10 } ]

[[group]]
id = "C"
name = "Group C"
home_country = "Pakistan"
hostile_to_taliban = false
active_from = 2000-01-01
attack_propensity = 1.0
lethality = 1.0
external_funding = 0.5
targets = { civilians = 1.0 }
tactics = { ied = 1.0 }
footholds = [ { district = "AFG-029", cells = 1, members = 10 } ]
)" + extra;
}

// The daily conditions of a test: nothing anywhere until the test sets it (the carrying capacity
// is the World's, computed without Taliban presence).
inline DayConditions quiet_conditions(const World& w) {
  const auto n = w.districts();
  DayConditions c;
  c.first_day = w.config.start;
  c.by_actor.assign(pressure_actor_count * n, 0.0f);
  c.total.assign(n, 0.0);
  c.weighted_kill.assign(n, 0.0);
  c.weighted_capture.assign(n, 0.0);
  c.civilian_harm.assign(n, 0.0);
  c.taliban_presence.assign(n, 0.0);
  c.border = 1.0;
  c.funding.fill(1.0);
  c.recruitment.fill(1.0);
  c.capacity = w.conditions.front().capacity;
  c.reporting.assign(n, 1.0);
  c.network.assign(n, 1.0);
  return c;
}

inline ModelConfig rule_config(const std::string& extra, const Mechanisms& mechanisms) {
  auto c = config_from_text(rule_config_text(extra));
  c.mechanisms = mechanisms;
  return c;
}

// The rules of v1 (every model-v2 mechanism off) unless a test passes the mechanisms it tests.
class RuleWorld {
 public:
  explicit RuleWorld(const std::string& extra = "", const Mechanisms& mechanisms = mechanisms_of_structure("v1"))
      : world(world_from(rule_config(extra, mechanisms))), recorder(world), conditions(quiet_conditions(world)) {
    rules::initialise(world, seed, replicate, state);
    state.cells.count = 0;  // the footholds only make the configuration valid: tests place their own cells
    state.year_amplitude.assign(state.year_amplitude.size(), 1.0);
  }

  World world;
  State state;
  Recorder recorder;
  DayConditions conditions;
  const DrawScript* script = nullptr;
  std::uint64_t seed = 7, replicate = 0;

  [[nodiscard]] Parameters& parameters() noexcept { return world.config.parameters; }
  [[nodiscard]] GroupIndex group(std::string_view id) const {
    const int g = world.config.find_group(id);
    if (g < 0) throw std::invalid_argument("no such group");
    return static_cast<GroupIndex>(g);
  }
  [[nodiscard]] DistrictIndex district(std::string_view id) const { return world.geography->find(id).value(); }
  [[nodiscard]] Country country(DistrictIndex d) const { return world.geography->country[d]; }

  // Places a live cell; returns its slot. Uids are 1, 2, 3, ... unless given.
  std::size_t add_cell(GroupIndex g, DistrictIndex d, std::int32_t members, double resources = 0.0,
                       std::uint64_t uid = 0) {
    const auto slot = state.cells.add(uid ? uid : ++last_uid_, g, d, members, resources);
    if (slot == SIZE_MAX) throw std::length_error("RuleWorld: max_cells reached");
    return slot;
  }
  [[nodiscard]] std::uint64_t uid(std::size_t slot) const { return state.cells.uid[slot]; }

  // Pressure in d: total P_d, and its kill-weighted, capture-weighted and civilian-harm sums.
  void set_pressure(DistrictIndex d, double total, double kill = 0.0, double capture = 0.0, double harm = 0.0) {
    conditions.total[d] = total;
    conditions.weighted_kill[d] = kill;
    conditions.weighted_capture[d] = capture;
    conditions.civilian_harm[d] = harm;
  }

  // The day with this index of the window (2016-01-01 + index), with the given season factor.
  [[nodiscard]] rules::Day day(std::size_t index = 0, double season = 1.0) const {
    return rules::Day{
        index, world.day_number(index), world.calendar.month_index[index], &conditions, season, seed, replicate,
        script};
  }
  [[nodiscard]] std::size_t day_index(CivilDate date) const {
    return static_cast<std::size_t>(to_day_number(date) - world.config.start);
  }

  void index() { rules::index_cells(world, state); }

  [[nodiscard]] std::int64_t metric(GroupIndex g, Country c, GroupMetric m, std::size_t month = 0) const {
    return recorder.group_metric(month, g, c, m);
  }
  // A metric summed over both countries and all months.
  [[nodiscard]] std::int64_t metric_total(GroupIndex g, GroupMetric m) const {
    std::int64_t total = 0;
    for (std::size_t month = 0; month < recorder.months; ++month)
      for (std::size_t c = 0; c < country_count; ++c)
        total += recorder.group_metric(month, g, static_cast<Country>(c), m);
    return total;
  }
  [[nodiscard]] long members_of(GroupIndex g) const {
    long total = 0;
    for (std::size_t i = 0; i < state.cells.count; ++i)
      if (state.cells.alive[i] && state.cells.group[i] == g) total += state.cells.members[i];
    return total;
  }

 private:
  std::uint64_t last_uid_ = 0;
};

// Attack locations (ODD §7.7), computed from the configuration rather than the World's tables:
// the opportunity o of a district (attack.urban_opportunity in an urban centre, else 1), and the
// share [lower, upper) of the location draw that picks location k of a cell in d (k = 0: d itself,
// k = j + 1: its j-th neighbour), o_d : reach x o_e, and the uniform in its middle.
inline double opportunity(const World& w, DistrictIndex d) {
  return w.config.urban[d] ? w.config.parameters.attack_urban_opportunity : 1.0;
}
inline double reach_opportunity(const World& w, DistrictIndex d) {
  double o = opportunity(w, d);
  for (auto e : w.geography->neighbours(d)) o += w.config.parameters.attack_reach * opportunity(w, e);
  return o;
}
inline std::pair<double, double> location_share(const World& w, DistrictIndex d, std::size_t k) {
  const auto nb = w.geography->neighbours(d);
  double from = 0, width = opportunity(w, d);
  for (std::size_t j = 0; j < k; ++j) {
    from += width;
    width = w.config.parameters.attack_reach * opportunity(w, nb[j]);
  }
  const double total = reach_opportunity(w, d);
  return {from / total, (from + width) / total};
}
inline double location_uniform(const World& w, DistrictIndex d, std::size_t k) {
  const auto [lower, upper] = location_share(w, d, k);
  return 0.5 * (lower + upper);
}

// Great-circle km between two district centroids (haversine, R = 6371 km), written out here
// independently of the model's centroid_distance_km.
inline double haversine_km(const Geography& g, DistrictIndex a, DistrictIndex b) {
  const double r = std::acos(-1.0) / 180.0;
  const double dlat = (g.centroid_lat[b] - g.centroid_lat[a]) * r, dlon = (g.centroid_lon[b] - g.centroid_lon[a]) * r;
  const double h = std::pow(std::sin(dlat / 2), 2) +
                   std::cos(g.centroid_lat[a] * r) * std::cos(g.centroid_lat[b] * r) * std::pow(std::sin(dlon / 2), 2);
  return 2 * 6371.0 * std::asin(std::sqrt(h));
}

// A district of `country` that has a neighbour across the border and one in its own country.
inline DistrictIndex border_district(const Geography& geo, Country country) {
  for (auto d : geo.country_districts[static_cast<std::size_t>(country)]) {
    bool across = false, inside = false;
    for (std::size_t k = geo.adjacency_offset[d]; k < geo.adjacency_offset[d + 1]; ++k)
      (geo.adjacency_cross_border[k] ? across : inside) = true;
    if (across && inside) return d;
  }
  throw std::logic_error("no border district");
}

}  // namespace iskabm::test
