#pragma once
// The World: everything a replicate needs that does not change during a run, derived once from
// the geography and a model configuration and shared (read-only) by all replicates and threads.
#include <array>
#include <cstdint>
#include <vector>

#include "model/geography.hpp"
#include "model/model_config.hpp"
#include "model/season.hpp"

namespace iskabm {

// Largest number of neighbours a district may have (rules keep per-neighbour scratch on the stack).
inline constexpr std::size_t max_degree = 64;

// The exogenous conditions of a stretch of days over which no pressure episode or intervention
// starts or ends: counter-terrorism pressure and what follows from it, Taliban presence, and the
// scenario's multipliers.
struct DayConditions {
  DayNumber first_day;
  std::vector<float> by_actor;                   // actor * districts + district (after multipliers)
  std::vector<double> total;                     // sum over actors
  std::vector<double> weighted_kill;             // sum of actor level x kill weight
  std::vector<double> weighted_capture;          // sum of actor level x capture weight
  std::vector<double> civilian_harm;             // sum of actor level x collateral
  std::vector<double> taliban_presence;          // per district
  double border = 1.0;                           // multiplier on cross-border permeability
  std::array<double, max_groups> funding{};      // multiplier on each group's external funding
  std::array<double, max_groups> recruitment{};  // multiplier on each group's recruitment
  std::vector<double> capacity;   // group * districts + district: carrying capacity K (model.carrying_capacity)
  std::vector<double> reporting;  // per district: multiplier on the probability an attack there is reported
  std::vector<double> network;    // per district: multiplier on the urban-network reach towards it
};

// An intervention that acts once (reinforcement, losses, decapitation), due on a day of the window.
struct DueIntervention {
  std::size_t day_index;
  std::size_t intervention;  // index into config.interventions
};

struct World {
  const Geography* geography = nullptr;  // owned by the caller; outlives the World
  ModelConfig config;
  SeasonCalendar calendar;

  std::vector<double> opportunity;        // per district: 1, or attack.urban_opportunity in urban centres
  std::vector<double> reach_opportunity;  // per district: own + reach x sum of neighbours' opportunity
  // Attack locations of a cell in district d: d itself, then its neighbours, as a cumulative
  // weight table starting at location_offset[d] (size 1 + degree).
  std::vector<std::uint32_t> location_offset;
  std::vector<double> location_cumulative;

  // Model v2 (docs/ODD.md §7).
  // Carrying capacity: (population / 100,000)^capacity.population_exponent x (1 - Shia presence);
  // a district without a population figure takes its province's median (else its country's).
  std::vector<double> population_scale;
  // ... and, per group and district, exp(-km to the group's nearest foothold / capacity.range_km)
  // (group * districts + district): a group recruits where its networks are.
  std::vector<double> foothold_reach;
  // Per intervention: a reinforcement's reach per district, exp(-km to the nearest of its districts
  // / capacity.range_km), which joins its group's from the reinforcement's start day (the day's
  // conditions); empty for other interventions.
  std::vector<std::vector<double>> reinforcement_reach;
  // Urban network: the urban centres beyond a district's adjacency that its cells can reach, with
  // static weight network.reach x opportunity x exp(-distance / network.decay_km), within
  // 4 x decay (CSR; empty when model.urban_network is off). Across the border the weight is
  // further multiplied, day by day, by network.cross_border_factor x the border multiplier.
  std::vector<std::uint32_t> network_offset;  // districts + 1
  std::vector<DistrictIndex> network_target;
  std::vector<double> network_weight;
  std::vector<std::uint8_t> network_cross_border;  // 1 where the centre lies in the other country

  std::vector<DayConditions> conditions;
  std::vector<std::uint16_t> conditions_of_day;    // per day of the window: index into conditions
  std::vector<DueIntervention> due_interventions;  // sorted by day

  [[nodiscard]] std::size_t districts() const noexcept { return geography->size(); }
  [[nodiscard]] std::size_t days() const noexcept { return calendar.days(); }
  [[nodiscard]] DayNumber day_number(std::size_t day_index) const noexcept {
    return config.start + static_cast<DayNumber>(day_index);
  }
  [[nodiscard]] double tie_strength(TieQuality q) const noexcept {
    return q == TieQuality::high_end ? 1.0 : config.parameters.ties_low_end_strength;
  }
};

[[nodiscard]] World make_world(const Geography& geography, ModelConfig config);

}  // namespace iskabm
