// Fission and fusion (ODD §7). A cell with more than fission_size members splits with probability
// fission_rate a day into two cells of (nearly) equal size, resources shared in proportion. A cell
// with fewer than fusion_size members merges into the largest other cell of its group in its
// district if that one has at least fusion_size members; otherwise, below dissolve_size members,
// it dissolves and its members disperse (counted). Empty cells are removed.
#include <algorithm>

#include "model/rules/rules.hpp"

namespace iskabm::rules {

void fission_fusion(const World& w, State& s, Recorder& r, const Day& day) {
  const auto& p = w.config.parameters;
  const auto& geo = *w.geography;
  auto& c = s.cells;
  const std::size_t before = c.count;  // cells born today are not considered again today
  for (std::size_t i = 0; i < before; ++i) {
    if (!c.alive[i]) continue;
    const auto m = c.members[i];
    if (m == 0) {
      c.alive[i] = 0;
      continue;
    }
    if (m > p.cells_fission_size) {
      auto rng = day.stream(Purpose::fission_fusion, c.uid[i]);
      if (rng.uniform() < p.cells_fission_rate) {
        const std::int32_t half = m / 2;
        const double share = c.resources[i] * half / m;
        if (c.add(child_cell_uid(c.uid[i], day.index), c.group[i], c.district[i], half, share) == SIZE_MAX) {
          ++s.fission_skipped;
        } else {
          c.members[i] -= half;
          c.resources[i] -= share;
        }
      }
      continue;
    }
    if (m >= p.cells_fusion_size) continue;
    const auto d = c.district[i];
    std::size_t target = SIZE_MAX;
    for (auto k = s.district_offset[d]; k < s.district_offset[d + 1]; ++k) {
      const auto j = s.district_cells[k];
      if (j == i || !c.alive[j] || c.group[j] != c.group[i] || c.district[j] != d) continue;
      if (c.members[j] < p.cells_fusion_size) continue;
      if (target == SIZE_MAX || c.members[j] > c.members[target]) target = j;
    }
    if (target != SIZE_MAX) {
      c.members[target] += m;
      c.resources[target] += c.resources[i];
      c.members[i] = 0;
      c.resources[i] = 0;
      c.alive[i] = 0;
    } else if (m < p.cells_dissolve_size) {
      r.group_metric(day.month, c.group[i], geo.country[d], GroupMetric::dispersed) += m;
      c.members[i] = 0;
      c.alive[i] = 0;
    }
  }
}

void remove_dead_cells(State& s) noexcept {
  auto& c = s.cells;
  std::size_t out = 0;
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i] || c.members[i] == 0) continue;
    if (out != i) {
      c.uid[out] = c.uid[i];
      c.group[out] = c.group[i];
      c.district[out] = c.district[i];
      c.members[out] = c.members[i];
      c.resources[out] = c.resources[i];
      c.alive[out] = 1;
    }
    ++out;
  }
  c.count = out;
}

void record_strength(const World& w, const State& s, Recorder& r, std::size_t month) noexcept {
  const auto& c = s.cells;
  for (std::size_t i = 0; i < c.count; ++i) {
    if (!c.alive[i]) continue;
    const auto country = w.geography->country[c.district[i]];
    r.group_metric(month, c.group[i], country, GroupMetric::members) += c.members[i];
    r.group_metric(month, c.group[i], country, GroupMetric::cells) += 1;
  }
}

}  // namespace iskabm::rules
