// Cell-day draws (DrawScheme::cell_day, model/random_stream.hpp; issue 22). At the start of each
// day, one Philox call per cell gives the first draw of its recruitment, attrition, movement and
// attack streams, instead of one call per rule. Most of a cell's days need no other draw of those
// purposes (no one recruited, lost or moved, no attack), so a cell-day costs about one Philox
// call instead of four; the draws remain distinct Philox outputs at fixed addresses.
#include "model/rules/rules.hpp"

namespace iskabm::rules {

void draw_cell_days(const World& w, State& s, const Day& day) noexcept {
  s.cell_day_known = 0;
  if (w.config.draws != DrawScheme::cell_day) return;
  const auto& c = s.cells;
  for (std::size_t i = 0; i < c.count; ++i) s.cell_day_draws[i] = cell_day_block(day, c.uid[i]);
  s.cell_day_known = c.count;
  s.cell_day_index = day.index;
}

}  // namespace iskabm::rules
