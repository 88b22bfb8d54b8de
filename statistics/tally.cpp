#include "statistics/tally.hpp"

#include <algorithm>

namespace iskabm {

namespace {
Tally empty_tally(const World& w) {
  Tally t;
  const auto& geo = *w.geography;
  t.months = static_cast<std::size_t>(w.calendar.months);
  const auto start = to_civil(w.config.start);
  for (std::size_t m = 0; m < t.months; ++m) {
    const int k = start.month - 1 + static_cast<int>(m);
    t.year.push_back(start.year + k / 12);
    t.month_of_year.push_back(k % 12 + 1);
  }
  t.covered.assign(t.months, 1);
  for (auto& x : t.monthly) x.assign(t.months, 0.0);
  t.by_district.assign(geo.size(), 0.0);
  t.by_province.assign(geo.province_count(), 0.0);
  return t;
}
// Orders the observed attacks by day (stably: equal days keep their order). A simulation records
// them in day order already, so this only costs a check there.
void sort_attacks_by_day(Tally& t) {
  if (std::is_sorted(t.attack_day.begin(), t.attack_day.end())) return;
  std::vector<std::size_t> order(t.attack_day.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return t.attack_day[a] < t.attack_day[b]; });
  std::vector<DayNumber> day;
  std::vector<std::int32_t> district;
  for (const auto i : order) day.push_back(t.attack_day[i]), district.push_back(t.attack_district[i]);
  t.attack_day = std::move(day);
  t.attack_district = std::move(district);
}
}  // namespace

Tally tally_replicate(const World& w, const Recorder& r, GroupIndex focal) {
  const auto& geo = *w.geography;
  Tally t = empty_tally(w);
  for (std::size_t m = 0; m < r.months; ++m)
    for (DistrictIndex d = 0; d < geo.size(); ++d) {
      const double a = r.attacks_observed[r.md(m, d)];
      t.monthly[static_cast<std::size_t>(geo.country[d])][m] += a;
      t.by_district[d] += a;
      t.by_province[geo.province[d]] += a;
    }
  for (const auto& e : r.events)
    if (e.observed) {
      t.fatalities.push_back(e.fatalities), t.joint_claimed += e.joint_claimed;
      t.attack_day.push_back(e.day);
      t.attack_district.push_back(static_cast<std::int32_t>(e.district));
    }
  sort_attacks_by_day(t);
  for (std::size_t c = 0; c < country_count; ++c) {
    t.focal_members[c].assign(r.months, 0.0);
    for (std::size_t m = 0; m < r.months; ++m)
      t.focal_members[c][m] =
          static_cast<double>(r.group_metric(m, focal, static_cast<Country>(c), GroupMetric::members));
    for (std::size_t k = 0; k < focal_losses.size(); ++k) {
      double sum = 0;
      for (std::size_t m = 0; m < r.months; ++m)
        sum += static_cast<double>(r.group_metric(m, focal, static_cast<Country>(c), focal_losses[k]));
      t.focal_loss[k][c] = sum;
    }
  }
  return t;
}

Tally tally_record(const World& w, const ObservedData& o, GroupIndex focal) {
  const auto& geo = *w.geography;
  Tally t = empty_tally(w);
  for (std::size_t m = 0; m < t.months; ++m) {
    const CivilDate first{t.year[m], t.month_of_year[m], 1};
    t.covered[m] = to_day_number(first) >= to_day_number(observed_window_first) &&
                   to_day_number(first) <= to_day_number(observed_window_last) &&
                   to_day_number(first) >= w.config.start;
  }
  const auto start = to_civil(w.config.start);
  for (const auto& e : o.events.events) {
    const auto n = to_day_number(e.date);
    if (n < w.config.start || n > w.config.end) continue;
    const auto m = static_cast<std::size_t>((e.date.year - start.year) * 12 + e.date.month - start.month);
    t.monthly[static_cast<std::size_t>(e.country)][m] += 1;
    if (e.district) t.by_district[*e.district] += 1;
    if (const auto p = geo.find_province(e.province)) t.by_province[*p] += 1;
    t.fatalities.push_back(e.fatalities);
    t.attack_day.push_back(n);
    t.attack_district.push_back(e.district ? static_cast<std::int32_t>(*e.district) : -1);
    // Only partners the model has: the record's Taliban co-attributions (and Hizbul Ahrar,
    // Jundallah) have no group to be simulated by (docs/calibration.md).
    bool modelled = false;
    for (const auto& partner : e.joint_partners)
      for (std::size_t g = 0; g < w.config.groups.size() && !modelled; ++g)
        modelled = g != focal && w.config.groups[g].named_as(partner);
    t.joint_claimed += modelled;
  }
  sort_attacks_by_day(t);  // the record's events are in file order
  return t;
}

}  // namespace iskabm
