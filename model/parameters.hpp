#pragma once
// The model's scalar parameters: one typed set, each with a key, unit, plausible range, meaning
// and source. Values come from parameters/defaults.toml (every parameter must be set there) and
// may be overridden by a model configuration's [parameters] table. The table in docs/ODD.md is
// checked against parameter_specs() by a test.
#include <span>
#include <string>
#include <string_view>

namespace iskabm {

struct Parameters {
  // recruitment
  double recruitment_per_member_rate, recruitment_walk_in_rate, recruitment_district_capacity,
      recruitment_propaganda_reach, recruitment_grievance_weight;
  double defection_rate, ties_low_end_strength;
  // attrition
  double attrition_desertion_rate, attrition_kill_rate, attrition_capture_rate, attrition_surrender_rate,
      attrition_broke_surrender_factor, attrition_taliban_clash_rate;
  // counter-terrorism actors: relative kill and capture effectiveness, civilian harm per unit pressure
  double afghan_forces_kill_weight, afghan_forces_capture_weight, afghan_forces_collateral;
  double us_air_kill_weight, us_air_capture_weight, us_air_collateral;
  double pakistan_military_kill_weight, pakistan_military_capture_weight, pakistan_military_collateral;
  double taliban_state_kill_weight, taliban_state_capture_weight, taliban_state_collateral;
  // resources
  double resources_local_income, resources_upkeep, resources_logistical_share, resources_initial_per_member;
  // movement
  double movement_base_rate, movement_pressure_rate, movement_pressure_aversion, movement_cross_border_permeability,
      movement_safe_passage_factor, movement_cohesion;
  // fission and fusion
  double cells_fission_size, cells_fission_rate, cells_fusion_size, cells_dissolve_size;
  // attacks
  double attack_base_rate, attack_capability_half_members, attack_capability_half_resources,
      attack_pressure_suppression, attack_reach, attack_urban_opportunity;
  double attack_cost_suicide, attack_cost_ied, attack_cost_armed_assault, attack_cost_other;
  // season
  double season_fighting_season_factor, season_winter_lull_factor, season_ramadan_factor, season_year_amplitude_sd;
  // fatalities (discretised log-normal per tactic)
  double fatalities_suicide_median, fatalities_suicide_sigma, fatalities_ied_median, fatalities_ied_sigma,
      fatalities_armed_assault_median, fatalities_armed_assault_sigma, fatalities_other_median, fatalities_other_sigma;
  double fatalities_sectarian_factor, fatalities_urban_factor, fatalities_joint_factor;
  // joint attacks
  double joint_probability, joint_adjacent_weight, joint_capability_boost;
  // model v2 (docs/ODD.md §7): carrying capacity, urban network, self-excitation, capability,
  // state response, reporting by year
  double capacity_base, capacity_population_exponent, capacity_taliban_exclusion, capacity_rival_overlap,
      capacity_abroad_factor, capacity_range_km;
  double network_reach, network_decay_km, network_safe_house_factor, network_cross_border_factor;
  double excitation_branching, excitation_kernel_days;
  double capability_gain, capability_half_attacks, capability_memory_days, capability_loss_weight,
      capability_lethality_gain;
  double response_threshold, response_level, response_duration_days, response_kill_weight, response_capture_weight;
  double observation_year_trend, observation_mass_casualty_half, observation_mass_casualty_steepness;
  // observation
  double observation_intercept, observation_fatality_slope, observation_urban_effect, observation_pakistan_effect,
      observation_claim_probability, observation_joint_claim_probability;
};

struct ParameterSpec {
  std::string_view key;   // dotted TOML key, e.g. "attack.base_rate"
  std::string_view unit;  // "1/day", "USD", "1" (dimensionless) ...
  double min, max;        // plausible range (inclusive); values outside are errors
  double Parameters::*field;
  std::string_view meaning;
  std::string_view source;  // citation, data figure, or "assumption" with its rationale
};

[[nodiscard]] std::span<const ParameterSpec> parameter_specs() noexcept;
[[nodiscard]] const ParameterSpec* find_parameter(std::string_view key) noexcept;

}  // namespace iskabm
