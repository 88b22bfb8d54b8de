#include "statistics/summary_statistics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace iskabm {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr const char* shared_provinces[] = {"Nangarhar", "Kabul", "Kunar", "Balochistan"};

// Appends the share of zero months and the lag-1 autocorrelation of a monthly series.
void append_zero_share_and_autocorrelation(std::vector<double>& v, const std::vector<double>& x) {
  double zeros = 0, mean = 0;
  for (double a : x) zeros += a == 0, mean += a;
  mean /= static_cast<double>(std::max<std::size_t>(x.size(), 1));
  double num = 0, den = 0;
  for (std::size_t m = 0; m < x.size(); ++m) {
    den += (x[m] - mean) * (x[m] - mean);
    if (m + 1 < x.size()) num += (x[m] - mean) * (x[m + 1] - mean);
  }
  v.push_back(x.empty() ? nan : zeros / static_cast<double>(x.size()));
  v.push_back(den > 0 ? num / den : nan);
}

// Share of the total in the five largest entries (reorders `by_district`).
double top5_share(std::vector<double> by_district, double total) {
  std::partial_sort(by_district.begin(), by_district.begin() + 5, by_district.end(), std::greater<>());
  return total > 0 ? (by_district[0] + by_district[1] + by_district[2] + by_district[3] + by_district[4]) / total : nan;
}

int year_of_month(const World& w, std::size_t m) { return w.calendar.first_year + static_cast<int>((to_civil(w.config.start).month - 1 + m) / 12); }
int month_of_year(const World& w, std::size_t m) { return static_cast<int>((to_civil(w.config.start).month - 1 + m) % 12) + 1; }
}  // namespace

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return nan;
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::vector<std::string> summary_statistic_names(const World& w) {
  std::vector<std::string> n;
  for (std::size_t c = 0; c < country_count; ++c)
    for (int y = 0; y < w.calendar.years; ++y)
      n.push_back(fmt::format("observed_attacks_{}_{}", country_name(static_cast<Country>(c)), w.calendar.first_year + y));
  n.push_back("observed_attacks_ratio_afghanistan_to_pakistan");
  for (int m = 1; m <= 12; ++m) n.push_back(fmt::format("observed_month_share_{:02d}", m));
  for (const char* p : shared_provinces) n.push_back(fmt::format("observed_province_share_{}", p));
  n.push_back("observed_top5_district_share");
  n.push_back("observed_fatalities_median");
  n.push_back("observed_fatalities_p90");
  n.push_back("observed_joint_claim_share");
  for (std::size_t c = 0; c < country_count; ++c) {
    n.push_back(fmt::format("observed_zero_month_share_{}", country_name(static_cast<Country>(c))));
    n.push_back(fmt::format("observed_monthly_autocorrelation_{}", country_name(static_cast<Country>(c))));
  }
  n.push_back("focal_members_mean_2017");
  for (const char* k : {"killed", "captured", "surrendered"})
    for (std::size_t c = 0; c < country_count; ++c)
      n.push_back(fmt::format("focal_{}_{}", k, country_name(static_cast<Country>(c))));
  return n;
}

std::vector<double> summary_statistics(const World& w, const Recorder& r) {
  const auto& geo = *w.geography;
  std::vector<double> v;
  const auto months = r.months;
  // Monthly observed attacks per country.
  std::vector<double> monthly[country_count];
  for (auto& x : monthly) x.assign(months, 0.0);
  std::vector<double> by_district(geo.size(), 0.0);
  for (std::size_t m = 0; m < months; ++m)
    for (DistrictIndex d = 0; d < geo.size(); ++d) {
      const double a = r.attacks_observed[r.md(m, d)];
      monthly[static_cast<std::size_t>(geo.country[d])][m] += a;
      by_district[d] += a;
    }
  double total[country_count] = {0, 0};
  for (std::size_t c = 0; c < country_count; ++c) {
    std::vector<double> yearly(static_cast<std::size_t>(w.calendar.years), 0.0);
    for (std::size_t m = 0; m < months; ++m) yearly[static_cast<std::size_t>(year_of_month(w, m) - w.calendar.first_year)] += monthly[c][m];
    for (double y : yearly) v.push_back(y), total[c] += y;
  }
  v.push_back(total[0] / std::max(total[1], 1.0));
  const double all = total[0] + total[1];
  double by_month[12] = {};
  for (std::size_t m = 0; m < months; ++m) by_month[month_of_year(w, m) - 1] += monthly[0][m] + monthly[1][m];
  for (double x : by_month) v.push_back(all > 0 ? x / all : nan);
  for (const char* p : shared_provinces) {
    double in = 0;
    if (auto pi = geo.find_province(p))
      for (auto d : geo.districts_of_province(*pi)) in += by_district[d];
    v.push_back(all > 0 ? in / all : nan);
  }
  v.push_back(top5_share(by_district, all));
  std::vector<double> fatalities;
  double joint = 0;
  for (const auto& e : r.events)
    if (e.observed) fatalities.push_back(e.fatalities), joint += e.joint_claimed;
  v.push_back(quantile(fatalities, 0.5));
  v.push_back(quantile(fatalities, 0.9));
  v.push_back(fatalities.empty() ? nan : joint / static_cast<double>(fatalities.size()));
  for (std::size_t c = 0; c < country_count; ++c) append_zero_share_and_autocorrelation(v, monthly[c]);
  // The focal group's strength in 2017 and its losses over the window.
  double members = 0, n2017 = 0;
  for (std::size_t m = 0; m < months; ++m)
    if (year_of_month(w, m) == 2017) {
      for (std::size_t c = 0; c < country_count; ++c)
        members += static_cast<double>(r.group_metric(m, 0, static_cast<Country>(c), GroupMetric::members));
      n2017 += 1;
    }
  v.push_back(n2017 > 0 ? members / n2017 : nan);
  for (auto k : {GroupMetric::killed, GroupMetric::captured, GroupMetric::surrendered})
    for (std::size_t c = 0; c < country_count; ++c) {
      double sum = 0;
      for (std::size_t m = 0; m < months; ++m) sum += static_cast<double>(r.group_metric(m, 0, static_cast<Country>(c), k));
      v.push_back(sum);
    }
  return v;
}

std::vector<double> observed_summary_statistics(const World& w, const ObservedData& o) {
  const auto& geo = *w.geography;
  std::vector<double> v;
  const int y0 = w.calendar.first_year, years = w.calendar.years;
  const auto in_data = [](int y) { return y >= observed_window_first.year && y <= observed_window_last.year; };
  const auto in_window = [&](const CivilDate& d) {
    const auto n = to_day_number(d);
    return n >= w.config.start && n <= w.config.end;
  };
  std::vector<const ObservedEvent*> events;
  for (const auto& e : o.events.events)
    if (in_window(e.date)) events.push_back(&e);
  double total[country_count] = {0, 0};
  for (std::size_t c = 0; c < country_count; ++c)
    for (int y = y0; y < y0 + years; ++y) {
      double n = 0;
      for (const auto* e : events) n += static_cast<std::size_t>(e->country) == c && e->date.year == y;
      v.push_back(in_data(y) ? n : nan);
      total[c] += n;
    }
  v.push_back(total[0] / std::max(total[1], 1.0));
  const double all = static_cast<double>(events.size());
  double by_month[12] = {};
  for (const auto* e : events) by_month[e->date.month - 1] += 1;
  for (double x : by_month) v.push_back(all > 0 ? x / all : nan);
  for (const char* p : shared_provinces) {
    double in = 0;
    for (const auto* e : events) in += e->province == p;
    v.push_back(all > 0 ? in / all : nan);
  }
  std::vector<double> by_district(geo.size(), 0.0);
  for (const auto* e : events)
    if (e->district) by_district[*e->district] += 1;
  v.push_back(top5_share(std::move(by_district), all));
  std::vector<double> fatalities;
  double joint = 0;
  for (const auto* e : events) fatalities.push_back(e->fatalities), joint += e->joint_claim();
  v.push_back(quantile(fatalities, 0.5));
  v.push_back(quantile(fatalities, 0.9));
  v.push_back(all > 0 ? joint / all : nan);
  for (std::size_t c = 0; c < country_count; ++c) {
    std::vector<double> x;
    for (const auto& row : o.aggregates.country_month)
      if (static_cast<std::size_t>(row.country) == c && in_window(CivilDate{row.year, row.month, 1}))
        x.push_back(row.events_all);
    append_zero_share_and_autocorrelation(v, x);
  }
  const auto mid = [&](const char* id) {
    const auto* f = o.figures.find(id);
    return f ? 0.5 * (f->value_low + f->value_high) : nan;
  };
  const auto value = [&](const char* id) {
    const auto* f = o.figures.find(id);
    return f ? f->value_low : nan;
  };
  v.push_back(0.5 * (mid("F06") + mid("F07")));
  v.push_back(value("F01"));  // killed, Afghanistan
  v.push_back(value("F05"));  // killed, Pakistan
  v.push_back(value("F02"));  // captured, Afghanistan
  v.push_back(value("F04"));  // captured, Pakistan
  v.push_back(value("F03"));  // surrendered, Afghanistan
  v.push_back(nan);           // surrendered, Pakistan: no figure
  return v;
}

}  // namespace iskabm
