// Co-location: which cells are in which district, and how many members each group has there.
// Rebuilt at the start of every day by a counting sort (no allocation).
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

void index_cells(const World& w, State& s) noexcept {
  const auto n = w.districts();
  const auto& c = s.cells;
  std::fill(s.district_offset.begin(), s.district_offset.end(), 0u);
  std::fill(s.group_members.begin(), s.group_members.end(), 0);
  s.group_total.assign(w.config.groups.size(), 0);
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i]) continue;
    ++s.district_offset[c.district[i] + 1];
    s.group_members[c.group[i] * n + c.district[i]] += c.members[i];
    s.group_total[c.group[i]] += c.members[i];
  }
  for (std::size_t d = 0; d < n; ++d) s.district_offset[d + 1] += s.district_offset[d];
  std::copy(s.district_offset.begin(), s.district_offset.end() - 1, s.fill.begin());
  for (std::size_t i = 0; i < c.count; ++i)
    if (c.alive[i]) s.district_cells[s.fill[c.district[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace iskabm::rules
