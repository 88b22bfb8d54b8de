// The summary statistics, registered in one place (the constructor of SummaryStatistics). To add
// one: one add(...) call with its name, meaning, value as a function of a Tally and its observed
// source; tests/statistics/ checks each against a hand-computed value.
#include "statistics/summary_statistics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "base/errors.hpp"
#include "base/quantile.hpp"
#include "model/season.hpp"

namespace iskabm {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr const char* shared_provinces[] = {"Nangarhar", "Kabul", "Kunar", "Balochistan"};
// The cities of the record's urban concentration (data/PROVENANCE.md) and their districts.
constexpr std::pair<const char*, const char*> key_cities[] = {
    {"kabul", "AFG-187"}, {"jalalabad", "AFG-195"}, {"quetta", "PAK15-036"}, {"peshawar", "PAK15-082"}};

double total(const Tally& t, std::size_t c) {
  double s = 0;
  for (double x : t.monthly[c]) s += x;
  return s;
}
double all_attacks(const Tally& t) { return total(t, 0) + total(t, 1); }

// The monthly series of a country over the months the source covers.
std::vector<double> covered_series(const Tally& t, std::size_t c) {
  std::vector<double> x;
  for (std::size_t m = 0; m < t.months; ++m)
    if (t.covered[m]) x.push_back(t.monthly[c][m]);
  return x;
}
double zero_share(const std::vector<double>& x) {
  if (x.empty()) return nan;
  double zeros = 0;
  for (double a : x) zeros += a == 0;
  return zeros / static_cast<double>(x.size());
}
double lag1_autocorrelation(const std::vector<double>& x) {
  double mean = 0;
  for (double a : x) mean += a;
  mean /= static_cast<double>(std::max<std::size_t>(x.size(), 1));
  double num = 0, den = 0;
  for (std::size_t m = 0; m < x.size(); ++m) {
    den += (x[m] - mean) * (x[m] - mean);
    if (m + 1 < x.size()) num += (x[m] - mean) * (x[m + 1] - mean);
  }
  return den > 0 ? num / den : nan;
}
// Share of year y's attacks in the months `in`; NaN without attacks that year.
template <class Months>
double year_month_share(const Tally& t, int y, Months in) {
  double all = 0, n = 0;
  for (std::size_t m = 0; m < t.months; ++m)
    if (t.year[m] == y) {
      const double a = t.monthly[0][m] + t.monthly[1][m];
      all += a;
      if (in(t.month_of_year[m])) n += a;
    }
  return all > 0 ? n / all : nan;
}
// The days of the observed attacks in months the source covers, in order.
std::vector<DayNumber> covered_days(const Tally& t) {
  std::vector<DayNumber> days;
  if (t.months == 0) return days;
  const int first_year = t.year.front(), first_month = t.month_of_year.front();
  for (const auto d : t.attack_day) {
    const auto c = to_civil(d);
    const auto m = (c.year - first_year) * 12 + c.month - first_month;
    if (m >= 0 && static_cast<std::size_t>(m) < t.months && t.covered[static_cast<std::size_t>(m)]) days.push_back(d);
  }
  return days;
}
std::vector<double> gaps(const std::vector<DayNumber>& days) {
  std::vector<double> g;
  for (std::size_t i = 1; i < days.size(); ++i) g.push_back(static_cast<double>(days[i] - days[i - 1]));
  return g;
}
double burstiness(const std::vector<double>& g) {
  if (g.size() < 2) return nan;
  double mean = 0, ss = 0;
  for (double x : g) mean += x / static_cast<double>(g.size());
  for (double x : g) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(g.size()));
  return sd + mean > 0 ? (sd - mean) / (sd + mean) : nan;
}
// Share of the total in the five largest entries.
double top5_share(std::vector<double> by_district, double all) {
  const auto k = std::min<std::size_t>(5, by_district.size());
  std::partial_sort(by_district.begin(), by_district.begin() + static_cast<std::ptrdiff_t>(k), by_district.end(),
                    std::greater<>());
  double s = 0;
  for (std::size_t i = 0; i < k; ++i) s += by_district[i];
  return all > 0 ? s / all : nan;
}
std::string country(std::size_t c) { return std::string(country_name(static_cast<Country>(c))); }
}  // namespace

std::string_view to_string(ObservedSource s) noexcept {
  switch (s) {
    case ObservedSource::record: return "record";
    case ObservedSource::published_figure: return "published figure";
    case ObservedSource::validation_only: return "validation only";
    case ObservedSource::undefined: return "undefined";
  }
  return "?";
}

SummaryStatistics::SummaryStatistics(const World& w, StatisticsOptions options)
    : world_(&w), options_(std::move(options)) {
  if (!options_.focal_group.empty()) {
    const int g = w.config.find_group(options_.focal_group);
    if (g < 0) throw Error(fmt::format("statistics: focal group '{}' is not in the scenario", options_.focal_group));
    focal_ = static_cast<GroupIndex>(g);
  }
  const auto& geo = *w.geography;
  const auto add = [&](std::string name, std::string meaning, std::function<double(const Tally&)> value,
                       ObservedSource source = ObservedSource::record,
                       std::function<double(const PublishedFigures&)> figure = {},
                       std::vector<std::string> figures = {}) {
    stats_.push_back(
        {std::move(name), std::move(meaning), std::move(value), source, std::move(figure), std::move(figures)});
  };
  const int first_year = w.calendar.first_year, years = w.calendar.years;
  const auto in_record = [](int y) { return y >= observed_window_first.year && y <= observed_window_last.year; };

  // Frequency: yearly counts per country, and the country ratio.
  for (std::size_t c = 0; c < country_count; ++c)
    for (int y = first_year; y < first_year + years; ++y)
      add(
          fmt::format("observed_attacks_{}_{}", country(c), y), fmt::format("observed attacks, {} {}", country(c), y),
          [c, y](const Tally& t) {
            double n = 0;
            for (std::size_t m = 0; m < t.months; ++m)
              if (t.year[m] == y) n += t.monthly[c][m];
            return n;
          },
          in_record(y) ? ObservedSource::record : ObservedSource::undefined);
  add("observed_attacks_ratio_afghanistan_to_pakistan", "observed attacks, Afghanistan : Pakistan",
      [](const Tally& t) { return total(t, 0) / std::max(total(t, 1), 1.0); });
  // Seasonality: month-of-year shares.
  for (int month = 1; month <= 12; ++month)
    add(fmt::format("observed_month_share_{:02d}", month), fmt::format("share of observed attacks in month {}", month),
        [month](const Tally& t) {
          const double all = all_attacks(t);
          double n = 0;
          for (std::size_t m = 0; m < t.months; ++m)
            if (t.month_of_year[m] == month) n += t.monthly[0][m] + t.monthly[1][m];
          return all > 0 ? n / all : nan;
        });
  // Geography.
  for (const char* p : shared_provinces) {
    const auto pi = geo.find_province(p);
    add(fmt::format("observed_province_share_{}", p), fmt::format("share of observed attacks in {}", p),
        [pi](const Tally& t) {
          const double all = all_attacks(t);
          return all > 0 ? (pi ? t.by_province[*pi] : 0.0) / all : nan;
        });
  }
  // The urban concentration of the record (issue 17): observed attacks in the cities that carry it.
  for (const auto& [city, id] : key_cities)
    if (const auto d = geo.find(id))
      add(fmt::format("observed_attacks_{}", city), fmt::format("observed attacks in {} ({})", city, id),
          [d = *d](const Tally& t) { return t.by_district[d]; });
  add("observed_top5_district_share", "share of observed attacks in the five districts with most",
      [](const Tally& t) { return top5_share(t.by_district, all_attacks(t)); });
  // Lethality and joint claims.
  add("observed_fatalities_median", "median fatalities per observed attack",
      [](const Tally& t) { return quantile(t.fatalities, 0.5); });
  add("observed_fatalities_p90", "90th percentile of fatalities per observed attack",
      [](const Tally& t) { return quantile(t.fatalities, 0.9); });
  add("observed_joint_claim_share", "share of observed attacks claimed jointly", [](const Tally& t) {
    return t.fatalities.empty() ? nan : t.joint_claimed / static_cast<double>(t.fatalities.size());
  });
  // Clustering in time, over the months the source covers.
  for (std::size_t c = 0; c < country_count; ++c) {
    add(fmt::format("observed_zero_month_share_{}", country(c)),
        fmt::format("share of months without an observed attack, {}", country(c)),
        [c](const Tally& t) { return zero_share(covered_series(t, c)); });
    add(fmt::format("observed_monthly_autocorrelation_{}", country(c)),
        fmt::format("lag-1 autocorrelation of monthly observed attacks, {}", country(c)),
        [c](const Tally& t) { return lag1_autocorrelation(covered_series(t, c)); });
  }
  // Season and geography year by year (issue 18): pooled over 2015-2018, month shares confound the
  // season with the rise (2018 holds most of the record). Years outside the record are undefined.
  for (int y = first_year; y < first_year + years; ++y) {
    // A share needs attacks: the record has none before ISK's founding (January 2015).
    const auto source = in_record(y) && y >= 2015 ? ObservedSource::record : ObservedSource::undefined;
    add(
        fmt::format("observed_fighting_season_share_{}", y),
        fmt::format("share of {}'s observed attacks in the fighting season (April-October)", y),
        [y](const Tally& t) { return year_month_share(t, y, [](int m) { return m >= 4 && m <= 10; }); }, source);
    add(
        fmt::format("observed_winter_share_{}", y),
        fmt::format("share of {}'s observed attacks in its winter months (January, February, December)", y),
        [y](const Tally& t) { return year_month_share(t, y, [](int m) { return m == 12 || m <= 2; }); }, source);
    add(
        fmt::format("observed_top5_district_share_{}", y),
        fmt::format("share of {}'s observed attacks in that year's five districts with most", y),
        [y](const Tally& t) {
          std::vector<double> by_district(t.by_district.size(), 0.0);
          double all = 0;
          for (std::size_t i = 0; i < t.attack_day.size(); ++i) {
            if (to_civil(t.attack_day[i]).year != y) continue;
            all += 1;
            if (t.attack_district[i] >= 0) by_district[static_cast<std::size_t>(t.attack_district[i])] += 1;
          }
          return top5_share(std::move(by_district), all);
        },
        source);
  }
  // Timing of single attacks, over the months the source covers (both countries): Ramadan, and the
  // days between consecutive observed attacks (their median, 90th percentile and burstiness, Goh &
  // Barabasi 2008: (sd - mean) / (sd + mean) of the gaps, 0 for a Poisson process, towards 1 when
  // attacks come in bursts separated by long quiet spells).
  add("observed_ramadan_share", "share of observed attacks during Ramadan", [](const Tally& t) {
    const auto days = covered_days(t);
    double n = 0;
    for (const auto d : days) n += is_ramadan(d);
    return days.empty() ? nan : n / static_cast<double>(days.size());
  });
  add("observed_days_between_attacks_median", "median days between consecutive observed attacks",
      [](const Tally& t) { return quantile(gaps(covered_days(t)), 0.5); });
  add("observed_days_between_attacks_p90", "90th percentile of days between consecutive observed attacks",
      [](const Tally& t) { return quantile(gaps(covered_days(t)), 0.9); });
  add("observed_burstiness", "burstiness of the days between observed attacks, (sd - mean) / (sd + mean)",
      [](const Tally& t) { return burstiness(gaps(covered_days(t))); });
  // The focal group: strength and losses, against published figures (F01-F07 describe ISK in
  // 2015-2018; for another focal group, or another strength year, nothing is observed).
  const bool isk = w.config.groups.size() > focal_ && w.config.groups[focal_].id == "ISK";
  const int sy = options_.strength_year;
  const auto mid = [](const PublishedFigures& f, const char* id) {
    const auto* x = f.find(id);
    return x ? 0.5 * (x->value_low + x->value_high) : nan;
  };
  const auto low = [](const char* id) {
    return [id](const PublishedFigures& f) {
      const auto* x = f.find(id);
      return x ? x->value_low : nan;
    };
  };
  add(
      fmt::format("focal_members_mean_{}", sy), fmt::format("focal group's mean month-end members in {}", sy),
      [sy](const Tally& t) {
        double members = 0, n = 0;
        for (std::size_t m = 0; m < t.months && m < t.focal_members[0].size(); ++m)
          if (t.year[m] == sy) members += t.focal_members[0][m] + t.focal_members[1][m], n += 1;
        return n > 0 ? members / n : nan;
      },
      isk && sy == 2017 ? ObservedSource::published_figure : ObservedSource::undefined,
      [mid](const PublishedFigures& f) { return 0.5 * (mid(f, "F06") + mid(f, "F07")); },
      isk && sy == 2017 ? std::vector<std::string>{"F06", "F07"} : std::vector<std::string>{});
  // Figures per (loss, country): killed F01/F05, captured F02/F04, surrendered F03/none.
  const char* figure[focal_losses.size()][country_count] = {{"F01", "F05"}, {"F02", "F04"}, {"F03", nullptr}};
  for (std::size_t k = 0; k < focal_losses.size(); ++k)
    for (std::size_t c = 0; c < country_count; ++c) {
      const auto what = to_string(focal_losses[k]);
      add(
          fmt::format("focal_{}_{}", what, country(c)),
          fmt::format("focal group's members {} in {} over the window", what, country(c)),
          [k, c](const Tally& t) { return t.focal_members[0].empty() ? nan : t.focal_loss[k][c]; },
          isk && figure[k][c] ? ObservedSource::published_figure : ObservedSource::undefined,
          figure[k][c] ? low(figure[k][c]) : std::function<double(const PublishedFigures&)>{},
          isk && figure[k][c] ? std::vector<std::string>{figure[k][c]} : std::vector<std::string>{});
    }
}

std::vector<std::string> SummaryStatistics::names() const {
  std::vector<std::string> n;
  n.reserve(stats_.size());
  for (const auto& s : stats_) n.push_back(s.name);
  return n;
}

std::vector<double> SummaryStatistics::of(const Tally& t) const {
  std::vector<double> v;
  v.reserve(stats_.size());
  for (const auto& s : stats_) v.push_back(s.value(t));
  return v;
}

std::vector<double> SummaryStatistics::simulated(const Recorder& r) const {
  return of(tally_replicate(*world_, r, focal_));
}

std::vector<double> SummaryStatistics::observed(const ObservedData& record) const {
  const auto t = tally_record(*world_, record, focal_);
  std::vector<double> v;
  v.reserve(stats_.size());
  for (const auto& s : stats_) {
    switch (s.source) {
      case ObservedSource::record: v.push_back(s.value(t)); break;
      case ObservedSource::published_figure: v.push_back(s.figure(record.figures)); break;
      case ObservedSource::validation_only:
      case ObservedSource::undefined: v.push_back(nan); break;
    }
  }
  return v;
}

std::vector<std::string> summary_statistic_names(const World& w) { return SummaryStatistics(w).names(); }
std::vector<double> summary_statistics(const World& w, const Recorder& r) { return SummaryStatistics(w).simulated(r); }
std::vector<double> observed_summary_statistics(const World& w, const ObservedData& o) {
  return SummaryStatistics(w).observed(o);
}

}  // namespace iskabm
