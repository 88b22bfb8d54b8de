// Initialisation (ODD §5): each group's footholds become cells holding resources in proportion to
// their members; each year of the window gets the replicate's season amplitude.
#include <cmath>
#include <map>

#include "base/errors.hpp"
#include "model/rules/draws.hpp"
#include "model/rules/rules.hpp"

namespace iskabm::rules {

void initialise(const World& w, std::uint64_t seed, std::uint64_t replicate, State& s, const DrawScript* script) {
  const auto& p = w.config.parameters;
  s.cells.reserve(w.config.max_cells);
  s.cells.count = 0;
  s.fission_skipped = 0;
  for (std::size_t g = 0; g < w.config.groups.size(); ++g) {
    // Cells are numbered per district, so two footholds of a group in one district get distinct uids.
    std::map<DistrictIndex, int> numbered;
    for (const auto& f : w.config.groups[g].footholds)
      for (int k = 0; k < f.cells; ++k)
        if (s.cells.add(initial_cell_uid(w.config.groups[g].id, f.district, numbered[f.district]++),
                        static_cast<GroupIndex>(g), f.district, f.members,
                        p.resources_initial_per_member * f.members) == SIZE_MAX)
          throw Error("run.max_cells is smaller than the number of initial cells");
  }

  const auto n = w.districts();
  s.district_offset.assign(n + 1, 0);
  s.district_cells.assign(w.config.max_cells, 0);
  s.fill.assign(n, 0);
  s.group_members.assign(w.config.groups.size() * n, 0);
  s.occupied.clear();
  s.present.assign(n, 0);
  s.occupied.reserve(w.config.max_cells);
  const auto groups = w.config.groups.size();
  s.excitation.assign(groups * country_count, 0.0);
  s.experience.assign(groups, 0.0);
  s.response.assign(w.geography->province_count(), 0.0);
  s.response_pressure.assign(w.geography->province_count(), 0.0);
  s.district_province = w.geography->province;
  s.attacks_today.assign(groups * country_count, 0);
  s.members_lost_today.assign(groups, 0);
  s.hazard.assign(w.config.max_cells, 0.0);
  s.cell_day_draws.resize(w.config.max_cells);
  s.cell_day_known = 0;
  s.opportunity.assign(groups * n, -1.0);
  s.opportunity_known.clear();
  s.opportunity_known.reserve(w.config.max_cells);

  // Year-to-year amplitude of the seasonal cycle: log-normal with mean 1.
  const double sd = p.season_year_amplitude_sd;
  s.year_amplitude.resize(static_cast<std::size_t>(w.calendar.years));
  for (std::size_t y = 0; y < s.year_amplitude.size(); ++y) {
    RandomStream rng(seed, replicate, Purpose::season, 0, y, script);
    s.year_amplitude[y] = sd > 0 ? std::exp(sd * standard_normal(rng) - 0.5 * sd * sd) : 1.0;
  }
}

}  // namespace iskabm::rules
