#include "model/parameters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include "base/errors.hpp"

namespace iskabm {

namespace {

using P = Parameters;
constexpr const char* assumed = "assumption; to be calibrated (issue 6)";

// clang-format off
const std::array specs{
  ParameterSpec{"recruitment.per_member_rate", "1/day", 0, 0.05, &P::recruitment_per_member_rate,
    "recruits per member per day (networked recruitment), before the local-pool limit",
    "assumption: F01 implies ~8 ISK killed per day in 2015-2018 against 1,000-3,500 fighters (F06, F07), so turnover of order 0.3 %/day must be replaced"},
  ParameterSpec{"recruitment.walk_in_rate", "1/day", 0, 1, &P::recruitment_walk_in_rate,
    "recruits per cell per day independent of cell size (local walk-ins, defectors from other factions)", assumed},
  ParameterSpec{"recruitment.district_capacity", "members", 20, 10000, &P::recruitment_district_capacity,
    "members of one group a district's recruitment pool sustains; recruitment falls linearly to 0 there", assumed},
  ParameterSpec{"recruitment.propaganda_reach", "1", 0, 10, &P::recruitment_propaganda_reach,
    "multiplier on all recruitment: online and local propaganda reach (1 = 2015-2018 level)", "scenario lever; 1 by definition in the baseline"},
  ParameterSpec{"recruitment.grievance_weight", "1", 0, 50, &P::recruitment_grievance_weight,
    "relative increase of recruitment per unit of civilian harm caused by counter-terrorism in the district",
    "Bennett 2008 (JASSS 11(4)7): counter-insurgent accuracy matters more than effectiveness; size assumed"},
  ParameterSpec{"defection.rate", "1/day", 0, 0.01, &P::defection_rate,
    "daily probability that a member of an ally's cell defects to a co-located cell of a group tied to it ideologically (high-end tie)",
    "assumption; ISK's founders were TTP and Afghan Taliban defectors (Allied & Lethal, CTC 2018)"},
  ParameterSpec{"ties.low_end_strength", "1", 0, 1, &P::ties_low_end_strength,
    "strength of a low-end alliance tie relative to a high-end one (scales defection, logistical share, joint attacks)",
    "assumption after the high/low-end distinction of Allied & Lethal (CTC 2018)"},

  ParameterSpec{"attrition.desertion_rate", "1/day", 0, 0.01, &P::attrition_desertion_rate,
    "daily probability that a member leaves without pressure (desertion, death by other causes)", assumed},
  ParameterSpec{"attrition.kill_rate", "1/day", 0, 0.05, &P::attrition_kill_rate,
    "daily probability that a member is killed per unit of weighted counter-terrorism pressure",
    "order of magnitude from F01 (11,668 killed in Afghanistan 2015-2018) and F06/F07 strength"},
  ParameterSpec{"attrition.capture_rate", "1/day", 0, 0.01, &P::attrition_capture_rate,
    "daily probability that a member is captured per unit of weighted pressure", "order of magnitude from F02 (696) and F04 (433)"},
  ParameterSpec{"attrition.surrender_rate", "1/day", 0, 0.01, &P::attrition_surrender_rate,
    "daily probability that a member surrenders per unit of total pressure", "order of magnitude from F03 (375 surrendered)"},
  ParameterSpec{"attrition.broke_surrender_factor", "1", 1, 50, &P::attrition_broke_surrender_factor,
    "multiplier on surrender and desertion for a cell whose resources are exhausted", assumed},
  ParameterSpec{"attrition.taliban_clash_rate", "1/day", 0, 0.02, &P::attrition_taliban_clash_rate,
    "daily probability that a member of a group hostile to the Taliban dies in clashes, per unit of Taliban presence",
    "assumption; ISK-Taliban fighting in Nangarhar, Jowzjan and Kunar 2015-2018 (Allied & Lethal, CTC 2018)"},

  ParameterSpec{"pressure.afghan_forces.kill_weight", "1", 0, 10, &P::afghan_forces_kill_weight,
    "lethality of Afghan forces' pressure relative to the kill rate", assumed},
  ParameterSpec{"pressure.afghan_forces.capture_weight", "1", 0, 10, &P::afghan_forces_capture_weight,
    "capture effectiveness of Afghan forces' pressure relative to the capture rate", assumed},
  ParameterSpec{"pressure.afghan_forces.collateral", "1", 0, 10, &P::afghan_forces_collateral,
    "civilian harm per unit of Afghan forces' pressure (feeds grievance recruitment)", assumed},
  ParameterSpec{"pressure.us_air.kill_weight", "1", 0, 10, &P::us_air_kill_weight,
    "lethality of the US air campaign's pressure relative to the kill rate", "assumption; strikes kill, they do not capture (F08, F09)"},
  ParameterSpec{"pressure.us_air.capture_weight", "1", 0, 10, &P::us_air_capture_weight,
    "capture effectiveness of the US air campaign", "assumption: air strikes capture no one"},
  ParameterSpec{"pressure.us_air.collateral", "1", 0, 10, &P::us_air_collateral,
    "civilian harm per unit of US air pressure", assumed},
  ParameterSpec{"pressure.pakistan_military.kill_weight", "1", 0, 10, &P::pakistan_military_kill_weight,
    "lethality of Pakistani operations relative to the kill rate", "F05 (104 killed) against F04 (433 captured): arrests dominate"},
  ParameterSpec{"pressure.pakistan_military.capture_weight", "1", 0, 10, &P::pakistan_military_capture_weight,
    "capture effectiveness of Pakistani operations", "F04 (433 captured in Pakistan 2015-2018)"},
  ParameterSpec{"pressure.pakistan_military.collateral", "1", 0, 10, &P::pakistan_military_collateral,
    "civilian harm per unit of Pakistani pressure", assumed},
  ParameterSpec{"pressure.taliban_state.kill_weight", "1", 0, 10, &P::taliban_state_kill_weight,
    "lethality of the Taliban state's counter-ISK operations (after August 2021)", assumed},
  ParameterSpec{"pressure.taliban_state.capture_weight", "1", 0, 10, &P::taliban_state_capture_weight,
    "capture effectiveness of the Taliban state's operations", assumed},
  ParameterSpec{"pressure.taliban_state.collateral", "1", 0, 10, &P::taliban_state_collateral,
    "civilian harm per unit of the Taliban state's pressure", assumed},

  ParameterSpec{"resources.local_income", "USD/member/day", 0, 100, &P::resources_local_income,
    "local income (extortion, taxation, smuggling) per member per day", assumed},
  ParameterSpec{"resources.upkeep", "USD/member/day", 0, 100, &P::resources_upkeep,
    "cost of keeping one member per day (pay, food, weapons)", assumed},
  ParameterSpec{"resources.logistical_share", "1", 0, 1, &P::resources_logistical_share,
    "share of a co-located partner's daily income passed on through a logistical tie (high-end)", assumed},
  ParameterSpec{"resources.initial_per_member", "USD", 0, 100000, &P::resources_initial_per_member,
    "resources a cell holds per member at initialisation", assumed},

  ParameterSpec{"movement.base_rate", "1/day", 0, 1, &P::movement_base_rate,
    "daily probability that a cell relocates to a neighbouring district without pressure", assumed},
  ParameterSpec{"movement.pressure_rate", "1/day", 0, 1, &P::movement_pressure_rate,
    "additional daily relocation probability per unit of pressure in the cell's district (flight)", assumed},
  ParameterSpec{"movement.pressure_aversion", "1", 0, 20, &P::movement_pressure_aversion,
    "destination weight exp(-aversion x pressure): how strongly flight avoids pressured neighbours", assumed},
  ParameterSpec{"movement.cross_border_permeability", "1", 0, 10, &P::movement_cross_border_permeability,
    "weight of a cross-border neighbour relative to a domestic one (0 = border sealed)", "scenario lever; assumption"},
  ParameterSpec{"movement.safe_passage_factor", "1", 1, 20, &P::movement_safe_passage_factor,
    "multiplier on cross-border permeability for a group with an active logistical tie", assumed},
  ParameterSpec{"movement.cohesion", "1", 0, 100, &P::movement_cohesion,
    "destination weight multiplier 1 + cohesion for a neighbour where the group or a logistically tied ally already has members (networks, safe havens)", assumed},

  ParameterSpec{"cells.fission_size", "members", 10, 10000, &P::cells_fission_size,
    "members above which a cell may split in two", assumed},
  ParameterSpec{"cells.fission_rate", "1/day", 0, 1, &P::cells_fission_rate,
    "daily probability that a cell above the fission size splits", assumed},
  ParameterSpec{"cells.fusion_size", "members", 0, 1000, &P::cells_fusion_size,
    "members below which a cell merges into the largest cell of its group in the district", assumed},
  ParameterSpec{"cells.dissolve_size", "members", 0, 100, &P::cells_dissolve_size,
    "members below which a cell that found no one to merge with dissolves (members dispersed)", assumed},

  ParameterSpec{"attack.base_rate", "1/day", 0, 0.5, &P::attack_base_rate,
    "daily attack hazard of a cell at full capability, unit opportunity, no pressure, neutral season", assumed},
  ParameterSpec{"attack.capability_half_members", "members", 1, 1000, &P::attack_capability_half_members,
    "members at which the manpower part of capability is one half (m / (m + half))", assumed},
  ParameterSpec{"attack.capability_half_resources", "USD", 1, 1e6, &P::attack_capability_half_resources,
    "resources at which the resource part of capability is one half", assumed},
  ParameterSpec{"attack.pressure_suppression", "1", 0, 10, &P::attack_pressure_suppression,
    "hazard multiplier exp(-suppression x pressure) in the cell's district", assumed},
  ParameterSpec{"attack.reach", "1", 0, 5, &P::attack_reach,
    "weight of neighbouring districts as attack locations relative to the cell's own district", assumed},
  ParameterSpec{"attack.urban_opportunity", "1", 1, 100, &P::attack_urban_opportunity,
    "target opportunity of an urban centre relative to a rural district",
    "assumption; Kabul, Jalalabad, Quetta dominate the observed record (data/PROVENANCE.md)"},
  ParameterSpec{"attack.cost.suicide", "USD", 0, 1e5, &P::attack_cost_suicide, "resources spent on a suicide attack", assumed},
  ParameterSpec{"attack.cost.ied", "USD", 0, 1e5, &P::attack_cost_ied, "resources spent on an IED attack", assumed},
  ParameterSpec{"attack.cost.armed_assault", "USD", 0, 1e5, &P::attack_cost_armed_assault,
    "resources spent on an armed assault", assumed},
  ParameterSpec{"attack.cost.other", "USD", 0, 1e5, &P::attack_cost_other, "resources spent on another attack", assumed},

  ParameterSpec{"season.fighting_season_factor", "1", 0.1, 10, &P::season_fighting_season_factor,
    "attack hazard multiplier in the fighting season (April-October)", "assumption; Afghan fighting season"},
  ParameterSpec{"season.winter_lull_factor", "1", 0.1, 10, &P::season_winter_lull_factor,
    "attack hazard multiplier in the winter lull (December-February)", "assumption; Afghan winter lull"},
  ParameterSpec{"season.ramadan_factor", "1", 0.1, 10, &P::season_ramadan_factor,
    "attack hazard multiplier during Ramadan (tabular Islamic calendar)",
    "assumption; IS calls for Ramadan offensives; Allied & Lethal (CTC 2018) discusses seasonality"},
  ParameterSpec{"season.year_amplitude_sd", "1", 0, 2, &P::season_year_amplitude_sd,
    "standard deviation of the log fighting-season amplitude from year to year (per replicate)",
    "GUIDE §3: 2016 had no spring surge for the first time since 2006 (GTD)"},

  ParameterSpec{"fatalities.suicide.median", "persons", 0.1, 500, &P::fatalities_suicide_median,
    "median victims killed by a suicide attack (log-normal)", assumed},
  ParameterSpec{"fatalities.suicide.sigma", "1", 0.05, 5, &P::fatalities_suicide_sigma,
    "log-scale spread of victims killed by a suicide attack", assumed},
  ParameterSpec{"fatalities.ied.median", "persons", 0.1, 500, &P::fatalities_ied_median,
    "median victims killed by an IED attack", assumed},
  ParameterSpec{"fatalities.ied.sigma", "1", 0.05, 5, &P::fatalities_ied_sigma, "log-scale spread, IED", assumed},
  ParameterSpec{"fatalities.armed_assault.median", "persons", 0.1, 500, &P::fatalities_armed_assault_median,
    "median victims killed by an armed assault", assumed},
  ParameterSpec{"fatalities.armed_assault.sigma", "1", 0.05, 5, &P::fatalities_armed_assault_sigma,
    "log-scale spread, armed assault", assumed},
  ParameterSpec{"fatalities.other.median", "persons", 0.1, 500, &P::fatalities_other_median,
    "median victims killed by another attack", assumed},
  ParameterSpec{"fatalities.other.sigma", "1", 0.05, 5, &P::fatalities_other_sigma, "log-scale spread, other", assumed},
  ParameterSpec{"fatalities.sectarian_factor", "1", 0.1, 10, &P::fatalities_sectarian_factor,
    "fatality multiplier for sectarian (Shia, minority) civilian targets", "assumption; mass-casualty attacks on Shia gatherings"},
  ParameterSpec{"fatalities.urban_factor", "1", 0.1, 10, &P::fatalities_urban_factor,
    "fatality multiplier for attacks in urban centres", assumed},
  ParameterSpec{"fatalities.joint_factor", "1", 0.1, 10, &P::fatalities_joint_factor,
    "fatality multiplier for joint attacks", "assumption; jointly claimed attacks were among the deadliest (F26)"},

  ParameterSpec{"joint.probability", "1", 0, 1, &P::joint_probability,
    "probability that an attack is carried out jointly when an operationally tied (high-end) partner cell is in the same district", assumed},
  ParameterSpec{"joint.adjacent_weight", "1", 0, 1, &P::joint_adjacent_weight,
    "relative probability of a joint attack when the nearest partner cell is in an adjacent district", assumed},
  ParameterSpec{"joint.capability_boost", "1", 0, 10, &P::joint_capability_boost,
    "relative increase of a cell's attack hazard when an operationally tied partner is at hand (support s in 0..1: hazard x (1 + boost x s))",
    "assumption after Allied & Lethal (CTC 2018): ISK relies on operational cooperation to sustain its activity"},

  ParameterSpec{"observation.intercept", "logit", -20, 20, &P::observation_intercept,
    "log-odds that a rural attack with no fatalities enters the notable-incident record", assumed},
  ParameterSpec{"observation.fatality_slope", "logit", 0, 10, &P::observation_fatality_slope,
    "increase of the reporting log-odds per unit of log(1 + fatalities)", "data/PROVENANCE.md: the list over-represents mass-casualty attacks"},
  ParameterSpec{"observation.urban_effect", "logit", -10, 10, &P::observation_urban_effect,
    "increase of the reporting log-odds in an urban centre", "data/PROVENANCE.md: the list over-represents urban attacks"},
  ParameterSpec{"observation.pakistan_effect", "logit", -10, 10, &P::observation_pakistan_effect,
    "difference of the reporting log-odds in Pakistan", assumed},
  ParameterSpec{"observation.claim_probability", "1", 0, 1, &P::observation_claim_probability,
    "probability that a reported attack is claimed by or named as ISK (otherwise suspected)",
    "124 of 171 observed incidents are named or claimed (data/events)"},
  ParameterSpec{"observation.joint_claim_probability", "1", 0, 1, &P::observation_joint_claim_probability,
    "probability that a reported joint attack names the partner in its claim", assumed},
};
// clang-format on

}  // namespace

std::span<const ParameterSpec> parameter_specs() noexcept { return specs; }

const ParameterSpec* find_parameter(std::string_view key) noexcept {
  for (const auto& s : specs)
    if (s.key == key) return &s;
  return nullptr;
}

}  // namespace iskabm
