// The schedule (ODD §3, process overview and scheduling). Each simulated day:
//   1. conditions: the day's pressure, Taliban presence and scenario multipliers, season factor;
//      interventions due today (reinforcements, losses, decapitation)
//   2. co-location index: cells by district, members per group and district; each cell's
//      cell-day draws (model/rules/cell_draws.cpp)
//   3. recruitment, then ideological defections
//   4. attrition: killed, captured, surrendered, killed by the Taliban, deserted
//   5. resources: income, external funding, logistical support, upkeep
//   6. attacks: solo or joint; target, tactic, fatalities, cost; observation
//   7. fission and fusion
//   8. movement
//   9. group memory (model v2): self-excitation, experience and state response move on a day
//  10. removal of empty, merged and dissolved cells; at month end, strength is recorded
// Every cell is processed in slot order, and its random numbers depend only on (seed, replicate,
// purpose, day, cell uid) and the draw scheme, so the result does not depend on threads or other
// replicates.
#include "model/simulation.hpp"

#include "model/rules/rules.hpp"

namespace iskabm {

void run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate, State& s, Recorder& out,
                   ScheduleObserver* observer) {
  out = Recorder(w);
  rules::initialise(w, seed, replicate, s);
  const auto days = w.days();
  for (std::size_t t = 0; t < days; ++t) {
    const rules::Day day{t,
                         w.day_number(t),
                         w.calendar.month_index[t],
                         &w.conditions[w.conditions_of_day[t]],
                         rules::season_factor(w, s, t),
                         seed,
                         replicate};
    const auto seen = [&](Stage stage) {
      if (observer) observer->after(stage, day, s, out);
    };
    rules::apply_due_interventions(w, s, out, day);
    rules::index_cells(w, s);
    rules::draw_cell_days(w, s, day);
    out.cell_days += s.cells.count;
    seen(Stage::indexed);
    rules::recruit(w, s, out, day);
    seen(Stage::recruited);
    rules::attrition(w, s, out, day);
    seen(Stage::attrited);
    rules::resources(w, s, day);
    seen(Stage::resourced);
    rules::attacks(w, s, out, day);
    seen(Stage::attacked);
    rules::fission_fusion(w, s, out, day);
    seen(Stage::split_and_merged);
    rules::movement(w, s, out, day);
    seen(Stage::moved);
    rules::update_group_memory(w, s, day);
    rules::remove_dead_cells(s);
    const bool month_end = t + 1 == days || w.calendar.month_index[t + 1] != day.month;
    if (month_end) rules::record_strength(w, s, out, day.month);
    seen(Stage::day_end);
  }
}

Recorder run_replicate(const World& w, std::uint64_t seed, std::uint64_t replicate) {
  State s;
  Recorder r;
  run_replicate(w, seed, replicate, s, r);
  return r;
}

}  // namespace iskabm
