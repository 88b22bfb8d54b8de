#pragma once
// A model configuration: the time window and seed, the groups and their initial cells, the
// alliance ties between groups, the counter-terrorism pressure timeline, the district covariates
// (urban centres, Taliban presence) and the parameters. Plain data, read from a TOML file
// (scenarios/baseline_2015_2018.toml is the default) and validated against the geography by
// config/scenario_loader.hpp.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"
#include "model/geography.hpp"
#include "model/parameters.hpp"
#include "model/random_stream.hpp"

namespace iskabm {

enum class TargetClass : std::uint8_t { civilians, sectarian, security_forces, political, taliban };
inline constexpr std::size_t target_class_count = 5;
enum class Tactic : std::uint8_t { suicide, ied, armed_assault, other };
inline constexpr std::size_t tactic_count = 4;
enum class TieType : std::uint8_t { ideological, logistical, operational };
inline constexpr std::size_t tie_type_count = 3;
enum class TieQuality : std::uint8_t { high_end, low_end };
enum class PressureActor : std::uint8_t { afghan_forces, us_air, pakistan_military, taliban_state };
inline constexpr std::size_t pressure_actor_count = 4;

// The names scenario files and result files use, in enum order.
inline constexpr std::array<std::string_view, target_class_count> target_class_names{
    "civilians", "sectarian", "security_forces", "political", "taliban"};
inline constexpr std::array<std::string_view, tactic_count> tactic_names{"suicide", "ied", "armed_assault", "other"};
inline constexpr std::array<std::string_view, tie_type_count> tie_type_names{"ideological", "logistical",
                                                                             "operational"};
inline constexpr std::array<std::string_view, 2> tie_quality_names{"high_end", "low_end"};
inline constexpr std::array<std::string_view, pressure_actor_count> pressure_actor_names{
    "afghan_forces", "us_air", "pakistan_military", "taliban_state"};

[[nodiscard]] std::string_view to_string(TargetClass t) noexcept;  // "security_forces"
[[nodiscard]] std::string_view to_string(Tactic t) noexcept;
[[nodiscard]] std::string_view to_string(TieType t) noexcept;
[[nodiscard]] std::string_view to_string(TieQuality q) noexcept;
[[nodiscard]] std::string_view to_string(PressureActor a) noexcept;

using GroupIndex = std::uint8_t;
inline constexpr std::size_t max_groups = 32;

// Initial cells of a group in one district: `cells` cells of `members` members each.
struct Foothold {
  DistrictIndex district;
  int cells;
  int members;
};

struct Group {
  std::string id;    // "ISK"
  std::string name;  // "Islamic State Khorasan"
  Country home_country;
  bool hostile_to_taliban;   // clashes with the Afghan Taliban where they are present
  DayNumber active_from;     // no attacks before this day (ISK: declared 26 January 2015)
  double attack_propensity;  // multiplier on the attack hazard; 0: attacks only as a joint partner
  double lethality;          // multiplier on fatalities
  double external_funding;   // USD per member per day from outside (IS central for ISK)
  // Group-level carrying capacity (model.carrying_capacity): recruitment stops as the group's
  // members in the model approach this many; 0: no ceiling (ODD 7.1). For allies whose own
  // campaigns are outside the model, from published strength estimates (docs/scenarios.md).
  double strength_ceiling = 0;
  std::array<double, target_class_count> target_weights;
  std::array<double, tactic_count> tactic_weights;
  std::vector<Foothold> footholds;
  // How the observed record names the group as a joint-claim partner (besides its id and name);
  // a joint claim counts in the statistics only if a partner is a group of the model.
  std::vector<std::string> record_names;
  [[nodiscard]] bool named_as(std::string_view record_name) const noexcept {
    if (record_name == id || record_name == name) return true;
    for (const auto& n : record_names)
      if (n == record_name) return true;
    return false;
  }
};

// A tie between two groups. Ideological ties carry defections from the second group to the first;
// logistical ties carry money and safe passage across the border; operational ties carry joint
// attacks. Active on days start..end inclusive.
struct AllianceTie {
  GroupIndex first, second;
  TieType type;
  TieQuality quality;
  DayNumber start, end;
  [[nodiscard]] bool active(DayNumber day) const noexcept { return day >= start && day <= end; }
};

// A set of districts as a scenario names it: whole countries, provinces and single districts.
struct Area {
  std::vector<std::string> countries, provinces, districts;  // as written (for the resolved text)
  std::vector<DistrictIndex> members;                        // resolved, sorted, unique
};

// Counter-terrorism pressure by one actor on an area, days start..end inclusive.
// Levels of overlapping episodes of the same actor add up. 1 = a sustained campaign.
struct PressureEpisode {
  PressureActor actor;
  Area area;
  DayNumber start, end;
  double level;
  std::string label;
};

// A what-if lever acting over days start..end inclusive (ODD §7.10):
//   pressure_multiplier  scales `actor`'s pressure in `area`
//   border               scales cross-border permeability (0 = sealed)
//   funding              scales `groups`' external funding
//   recruitment          scales `groups`' recruitment (propaganda reach)
//   taliban_presence     sets the Taliban presence in `area` to `value`
//   reinforcement        on day `start`, adds `cells` cells of `members` members of `groups[0]` in
//                        each district of `area` (e.g. prisoners freed)
//   losses               on day `start`, every cell of `groups` in `area` loses `value` (a fraction)
//                        of its members, counted as `loss` (mass surrenders, a dismantled ally)
//   decapitation         on day `start`, `groups`' experience and self-excitation are cut by `value`
//                        (a fraction): leaders and their know-how lost
//   reporting            scales the probability that an attack in `area` is reported
//   network              scales the urban-network reach towards the urban centres of `area`
enum class InterventionKind : std::uint8_t {
  pressure_multiplier,
  border,
  funding,
  recruitment,
  taliban_presence,
  reinforcement,
  losses,
  decapitation,
  reporting,
  network
};
inline constexpr std::size_t intervention_kind_count = 10;
inline constexpr std::array<std::string_view, intervention_kind_count> intervention_kind_names{
    "pressure_multiplier", "border", "funding",      "recruitment", "taliban_presence",
    "reinforcement",       "losses", "decapitation", "reporting",   "network"};
[[nodiscard]] std::string_view to_string(InterventionKind k) noexcept;
// Whether a kind acts once, on its start day (the others act over start..end).
[[nodiscard]] constexpr bool acts_once(InterventionKind k) noexcept {
  return k == InterventionKind::reinforcement || k == InterventionKind::losses || k == InterventionKind::decapitation;
}

// How the members a `losses` intervention removes leave (the group series they are counted in).
enum class LossKind : std::uint8_t { surrendered, captured, killed };
inline constexpr std::array<std::string_view, 3> loss_kind_names{"surrendered", "captured", "killed"};

struct Intervention {
  InterventionKind kind;
  std::string label;
  DayNumber start, end;
  double value = 1.0;                                  // multiplier, presence level, or fraction (losses, decapitation)
  PressureActor actor = PressureActor::afghan_forces;  // pressure_multiplier
  Area area;                       // pressure_multiplier, taliban_presence, reinforcement, losses, reporting, network
  std::vector<GroupIndex> groups;  // funding, recruitment (empty: all), reinforcement, losses, decapitation
  int cells = 0, members = 0;      // reinforcement
  LossKind loss = LossKind::surrendered;  // losses
};

// The mechanisms of model v2 (docs/ODD.md §7), each switchable so that v1's structure stays
// runnable and an ablation can switch one off at a time. v1 = all off; v2 (the default) = all on.
struct Mechanisms {
  bool carrying_capacity = true;  // recruitment bounded by a covariate-driven capacity per district and group
  bool urban_network = true;      // attacks on urban centres beyond adjacency, with distance decay
  bool self_excitation = true;    // each attack raises its group's hazard in that country for weeks
  bool capability = true;         // capability grows with experience, fades; lost with members by loss_weight
  bool state_response = true;     // pressure rises in a province after a mass-casualty attack there
  bool reporting = true;          // coverage changes by year; mass-casualty attacks have a channel of their own
};
inline constexpr std::size_t mechanism_count = 6;
inline constexpr std::array<std::string_view, mechanism_count> mechanism_names{
    "carrying_capacity", "urban_network", "self_excitation", "capability", "state_response", "reporting"};
inline constexpr std::array<bool Mechanisms::*, mechanism_count> mechanism_fields{
    &Mechanisms::carrying_capacity, &Mechanisms::urban_network,  &Mechanisms::self_excitation,
    &Mechanisms::capability,        &Mechanisms::state_response, &Mechanisms::reporting};
[[nodiscard]] Mechanisms mechanisms_of_structure(std::string_view structure);  // "v1" or "v2"

// What a run writes besides the monthly district totals and group series.
struct OutputSelection {
  bool events = true;      // the event list
  bool breakdowns = true;  // joint attacks by partner, attacks by target class and by tactic
};

struct ModelConfig {
  std::string source;              // file it was read from
  std::vector<std::string> chain;  // the files read, base first (a scenario may extend another)
  std::string title, description;
  DayNumber start = 0, end = 0;
  std::uint64_t seed = 0;
  std::uint64_t replicates = 1;
  // [run] posterior: a posterior file of `iskabm calibrate` from which `iskabm run` draws each
  // replicate's calibrated parameters (resolved against the scenario that set it; empty: none).
  // Not part of the resolved TOML: a run records it in its `posterior` attribute instead.
  std::filesystem::path posterior;
  std::size_t max_cells = 0;  // capacity of the cell arrays (fission stops when full)
  // [run] draws: how the cells' daily rules address their random draws (model/random_stream.hpp);
  // in the resolved TOML only when not the default.
  DrawScheme draws = DrawScheme::cell_day;
  Parameters parameters{};
  Mechanisms mechanisms{};
  std::vector<Group> groups;
  std::vector<AllianceTie> ties;
  std::vector<PressureEpisode> pressure;
  std::vector<Intervention> interventions;
  std::vector<std::uint8_t> urban;       // per district: 1 for an urban centre
  std::vector<double> taliban_presence;  // per district, 0..1 (interventions may change it over time)
  OutputSelection output;

  [[nodiscard]] GroupIndex group_count() const noexcept { return static_cast<GroupIndex>(groups.size()); }
  [[nodiscard]] int find_group(std::string_view id) const noexcept;  // -1 when unknown
};

}  // namespace iskabm
