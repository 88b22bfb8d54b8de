// Co-location: which cells are in which district, and how many members each group has there.
// Rebuilt at the start of every day by a counting sort (no allocation); only the entries of
// group_members (and of the groups-present masks) that yesterday's cells filled are cleared, not
// all groups x districts.
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

void index_cells(const World& w, State& s) noexcept {
  const auto n = w.districts();
  const auto& c = s.cells;
  std::fill(s.district_offset.begin(), s.district_offset.end(), 0u);
  for (const auto k : s.occupied) {  // yesterday's entries (the rest are 0)
    s.group_members[k] = 0;
    s.present[k % n] = 0;
  }
  s.occupied.clear();
  s.group_total.assign(w.config.groups.size(), 0);
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i]) continue;
    ++s.district_offset[c.district[i] + 1];
    const auto k = c.group[i] * n + c.district[i];
    if (s.group_members[k] == 0 && c.members[i] != 0) {
      s.occupied.push_back(static_cast<std::uint32_t>(k));
      s.present[c.district[i]] |= std::uint32_t{1} << c.group[i];
    }
    s.group_members[k] += c.members[i];
    s.group_total[c.group[i]] += c.members[i];
  }
  for (std::size_t d = 0; d < n; ++d) s.district_offset[d + 1] += s.district_offset[d];
  std::copy(s.district_offset.begin(), s.district_offset.end() - 1, s.fill.begin());
  for (std::size_t i = 0; i < c.count; ++i)
    if (c.alive[i]) s.district_cells[s.fill[c.district[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace iskabm::rules
