#pragma once
// The submodels of the ODD protocol, one file each. The daily order in which they run is written
// in one place: model/simulation.cpp (ODD §3, process overview and scheduling).
#include <cstdint>

#include "model/random_stream.hpp"
#include "model/recorder.hpp"
#include "model/state.hpp"
#include "model/world.hpp"

namespace iskabm::rules {

// The day being simulated and how to address its random streams.
struct Day {
  std::size_t index;  // day of the window (0 = start)
  DayNumber number;
  std::size_t month;                // month of the window (0 = first)
  const DayConditions* conditions;  // pressure, Taliban presence, scenario multipliers
  double season;                    // attack hazard multiplier of the season (seasonality submodel)
  std::uint64_t seed, replicate;
  const DrawScript* script = nullptr;  // tests only: scripted draws (model/random_stream.hpp)

  [[nodiscard]] RandomStream stream(Purpose purpose, std::uint64_t entity) const noexcept {
    return RandomStream(seed, replicate, purpose, index, entity, script);
  }
};

// cell_draws.cpp: under DrawScheme::cell_day, the cell-day block of every cell at the start of the
// day (one Philox call each), kept in s.cell_day_draws for the day's rules.
void draw_cell_days(const World& w, State& s, const Day& day) noexcept;
// The block of four words at (cell_day, day, uid, 0): Philox's, or the test script's.
[[nodiscard]] inline std::array<std::uint64_t, 4> cell_day_block(const Day& day, std::uint64_t uid) noexcept {
  const DrawAddress at{day.seed, day.replicate, Purpose::cell_day, day.index, uid, 0};
  return day.script != nullptr ? day.script->block(at) : philox_block(at);
}
// The stream of `purpose` (one of cell_day_lanes) for the cell in `slot` today, as the world's
// draw scheme addresses it: under cell_day its first draw is the purpose's word of the cell's
// cell-day block (computed now for a cell born today), under per_purpose it is the purpose's own
// stream from its start.
[[nodiscard]] inline RandomStream cell_stream(const World& w, const State& s, const Day& day, std::size_t slot,
                                              Purpose purpose) noexcept {
  const auto uid = s.cells.uid[slot];
  auto rng = day.stream(purpose, uid);
  const int lane = cell_day_lane(purpose);  // -1: not a purpose of the block (its own stream only)
  if (w.config.draws == DrawScheme::cell_day && lane >= 0) {
    const auto j = static_cast<std::size_t>(lane);
    const bool known = slot < s.cell_day_known && s.cell_day_index == day.index;
    rng.start_with(known ? s.cell_day_draws[slot][j] : cell_day_block(day, uid)[j]);
  }
  return rng;
}

// initialisation.cpp: cells from the groups' footholds; the replicate's season amplitudes (drawn
// from `script` instead of Philox in tests).
void initialise(const World& w, std::uint64_t seed, std::uint64_t replicate, State& s,
                const DrawScript* script = nullptr);
// season.cpp: attack hazard multiplier of the day (fighting season, winter lull, Ramadan).
[[nodiscard]] double season_factor(const World& w, const State& s, std::size_t day_index) noexcept;
// interventions.cpp: the interventions due today that act once: reinforcements, losses,
// decapitation (ODD §7.10).
void apply_due_interventions(const World& w, State& s, Recorder& r, const Day& day);
// district_index.cpp: cells by district and members per group and district.
void index_cells(const World& w, State& s) noexcept;
// recruitment.cpp: recruits and ideological defections.
void recruit(const World& w, State& s, Recorder& r, const Day& day);
// attrition.cpp: killed, captured, surrendered, killed by the Taliban, deserted.
void attrition(const World& w, State& s, Recorder& r, const Day& day);
// resources.cpp: income, external funding, logistical support, upkeep.
void resources(const World& w, State& s, const Day& day) noexcept;
// attacks.cpp (with joint_attacks.cpp and observation.cpp): attacks, their partner, target,
// tactic, fatalities, cost, and whether they are observed.
void attacks(const World& w, State& s, Recorder& r, const Day& day);
// fission_fusion.cpp: large cells split; small cells merge or dissolve.
void fission_fusion(const World& w, State& s, Recorder& r, const Day& day);
// movement.cpp: cells relocate to neighbouring districts, fleeing pressure, across the border too.
void movement(const World& w, State& s, Recorder& r, const Day& day);
// group_memory.cpp: at day end, the model-v2 memories move on a day: self-excitation and experience
// decay and take in today's attacks (experience also loses loss_weight x the share of members lost today), the
// state response decays and each province's level becomes tomorrow's response pressure there.
void update_group_memory(const World& w, State& s, const Day& day) noexcept;
// group_memory.cpp: a triggering attack (model.state_response) in district d raises the response in
// its province.
void respond_to_attack(const World& w, State& s, DistrictIndex d, int fatalities) noexcept;
// fission_fusion.cpp: removes merged, dissolved and empty cells, keeping the others' order.
void remove_dead_cells(State& s) noexcept;
// recording: end-of-month stocks of members and cells.
void record_strength(const World& w, const State& s, Recorder& r, std::size_t month) noexcept;

// joint_attacks.cpp: operational support (0..1) of group g in district d: how much partner help
// is at hand through active operational ties.
[[nodiscard]] double operational_support(const World& w, const State& s, GroupIndex g, DistrictIndex d,
                                         DayNumber day) noexcept;
// joint_attacks.cpp: the partner group of an attack by group g from district d, or -1.
[[nodiscard]] int choose_joint_partner(const World& w, const State& s, GroupIndex g, DistrictIndex d, DayNumber day,
                                       double u) noexcept;
// observation.cpp
struct Observation {
  bool observed, claimed, joint_claimed;
};
// year: the calendar year of the attack (used only with model.reporting); reporting: the day's
// multiplier for district d (a `reporting` intervention; 1 without).
[[nodiscard]] double reporting_probability(const Parameters& p, const Mechanisms& m, int fatalities, bool urban,
                                           bool pakistan, int year) noexcept;
[[nodiscard]] Observation observe(const World& w, int fatalities, DistrictIndex d, bool joint, int year,
                                  double reporting, RandomStream& rng) noexcept;

// Counter-terrorism pressure in district d today: the scenario's (day conditions) plus the state
// response (model.state_response). Total pressure, and weighted for killing and capturing.
// Whether any group of the mask (bit g: group g) has members in district d at the start of the day.
[[nodiscard]] inline bool any_present(const State& s, std::uint32_t groups, DistrictIndex d) noexcept {
  return (s.present[d] & groups) != 0;
}
// The state response's pressure in district d today: its province's, as the day began.
[[nodiscard]] inline double response_pressure(const State& s, DistrictIndex d) noexcept {
  return s.response_pressure[s.district_province[d]];
}
[[nodiscard]] inline double total_pressure(const State& s, const Day& day, DistrictIndex d) noexcept {
  return day.conditions->total[d] + response_pressure(s, d);
}
[[nodiscard]] inline double kill_pressure(const Parameters& p, const State& s, const Day& day,
                                          DistrictIndex d) noexcept {
  return day.conditions->weighted_kill[d] + p.response_kill_weight * response_pressure(s, d);
}
[[nodiscard]] inline double capture_pressure(const Parameters& p, const State& s, const Day& day,
                                             DistrictIndex d) noexcept {
  return day.conditions->weighted_capture[d] + p.response_capture_weight * response_pressure(s, d);
}

// Whether group g has an active tie of this type with anyone (returns its strongest strength, 0 if none).
[[nodiscard]] double strongest_tie(const World& w, GroupIndex g, TieType type, DayNumber day) noexcept;

}  // namespace iskabm::rules
