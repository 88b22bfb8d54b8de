#include "io/observed_aggregates.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "base/errors.hpp"
#include "io/csv_table.hpp"

namespace iskabm {

namespace {

struct Tally {
  std::int32_t events = 0, named = 0, fatalities = 0;
};

Country read_country(const CsvTable& t, std::size_t r, std::size_t c) {
  auto country = parse_country(t.text(r, c));
  if (!country) t.fail(r, c, fmt::format("unknown country '{}' (expected Afghanistan or Pakistan)", t.text(r, c)));
  return *country;
}

int read_year(const CsvTable& t, std::size_t r, std::size_t c) {
  const auto y = t.integer(r, c);
  if (y < observed_window_first.year || y > observed_window_last.year)
    t.fail(r, c,
           fmt::format("year {} is outside the observed window {}..{}", y, observed_window_first.year,
                       observed_window_last.year));
  return static_cast<int>(y);
}

int read_month(const CsvTable& t, std::size_t r, std::size_t c) {
  const auto m = t.integer(r, c);
  if (m < 1 || m > 12) t.fail(r, c, fmt::format("month must be 1..12, got {}", m));
  return static_cast<int>(m);
}

std::int32_t read_count(const CsvTable& t, std::size_t r, std::size_t c) {
  const auto v = t.integer(r, c);
  if (v < 0 || v > 1000000) t.fail(r, c, fmt::format("must be between 0 and 1000000, got {}", v));
  return static_cast<std::int32_t>(v);
}

void expect_equal(const CsvTable& t, std::size_t r, std::size_t c, std::int32_t stated, std::int32_t from_events,
                  const std::string& events_file) {
  if (stated != from_events) t.fail(r, c, fmt::format("states {} but {} gives {}", stated, events_file, from_events));
}

}  // namespace

ObservedAggregates load_observed_aggregates(const std::filesystem::path& data_dir, const Geography& geo,
                                            const ObservedEvents& events) {
  const auto dir = data_dir / "aggregates";
  ObservedAggregates out;

  std::map<std::tuple<Country, int, int>, Tally> by_month;
  std::map<std::pair<Country, int>, Tally> by_year;
  std::map<std::tuple<DistrictIndex, int, int>, Tally> by_district_month;
  for (const auto& e : events.events) {
    const bool named = e.attribution == Attribution::named_or_claimed;
    for (Tally* tally : {&by_month[{e.country, e.date.year, e.date.month}], &by_year[{e.country, e.date.year}]}) {
      tally->events += 1;
      tally->named += named;
      tally->fatalities += e.fatalities;
    }
    if (e.district) {
      auto& tally = by_district_month[{*e.district, e.date.year, e.date.month}];
      tally.events += 1;
      tally.named += named;
      tally.fatalities += e.fatalities;
    }
  }

  {
    auto t = CsvTable::read(dir / "isk_wikipedia_country_month.csv",
                            {"country", "year", "month", "events_all", "events_named_or_claimed", "fatalities_all"});
    const auto c_country = t.column("country"), c_year = t.column("year"), c_month = t.column("month"),
               c_all = t.column("events_all"), c_named = t.column("events_named_or_claimed"),
               c_fat = t.column("fatalities_all");
    std::map<std::tuple<Country, int, int>, std::size_t> seen;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      CountryMonthCount row{read_country(t, r, c_country), read_year(t, r, c_year),   read_month(t, r, c_month),
                            read_count(t, r, c_all),       read_count(t, r, c_named), read_count(t, r, c_fat)};
      const auto key = std::make_tuple(row.country, row.year, row.month);
      if (auto [it, fresh] = seen.emplace(key, t.line(r)); !fresh)
        t.fail_row(r, fmt::format("duplicate row for {} {}-{:02d} (first on line {})", country_name(row.country),
                                  row.year, row.month, it->second));
      const auto tally = by_month.contains(key) ? by_month.at(key) : Tally{};
      expect_equal(t, r, c_all, row.events_all, tally.events, events.source);
      expect_equal(t, r, c_named, row.events_named_or_claimed, tally.named, events.source);
      expect_equal(t, r, c_fat, row.fatalities_all, tally.fatalities, events.source);
      out.country_month.push_back(row);
    }
    const auto months = static_cast<std::size_t>(observed_window_last.year - observed_window_first.year + 1) * 12;
    if (seen.size() != months * country_count)
      throw DataError(t.label(), 0, "",
                      fmt::format("the country-month grid has {} rows, expected {} ({} months × {} countries)",
                                  seen.size(), months * country_count, months, country_count));
  }

  {
    auto t = CsvTable::read(dir / "isk_wikipedia_country_year.csv",
                            {"country", "year", "events_all", "events_named_or_claimed", "fatalities_all"});
    const auto c_country = t.column("country"), c_year = t.column("year"), c_all = t.column("events_all"),
               c_named = t.column("events_named_or_claimed"), c_fat = t.column("fatalities_all");
    std::map<std::pair<Country, int>, std::size_t> seen;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      CountryYearCount row{read_country(t, r, c_country), read_year(t, r, c_year), read_count(t, r, c_all),
                           read_count(t, r, c_named), read_count(t, r, c_fat)};
      const auto key = std::make_pair(row.country, row.year);
      if (auto [it, fresh] = seen.emplace(key, t.line(r)); !fresh)
        t.fail_row(r, fmt::format("duplicate row for {} {} (first on line {})", country_name(row.country), row.year,
                                  it->second));
      const auto tally = by_year.contains(key) ? by_year.at(key) : Tally{};
      expect_equal(t, r, c_all, row.events_all, tally.events, events.source);
      expect_equal(t, r, c_named, row.events_named_or_claimed, tally.named, events.source);
      expect_equal(t, r, c_fat, row.fatalities_all, tally.fatalities, events.source);
      out.country_year.push_back(row);
    }
  }

  {
    auto t = CsvTable::read(dir / "isk_wikipedia_district_month.csv",
                            {"country", "admin1", "district_id", "district_name", "year", "month", "events",
                             "fatalities", "events_named_or_claimed"});
    const auto c_country = t.column("country"), c_admin1 = t.column("admin1"), c_id = t.column("district_id"),
               c_year = t.column("year"), c_month = t.column("month"), c_events = t.column("events"),
               c_fat = t.column("fatalities"), c_named = t.column("events_named_or_claimed");
    std::map<std::tuple<DistrictIndex, int, int>, std::size_t> seen;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const auto id = t.required_text(r, c_id);
      auto d = geo.find(id);
      if (!d) t.fail(r, c_id, fmt::format("unknown district id '{}'", id));
      if (read_country(t, r, c_country) != geo.country[*d])
        t.fail(r, c_country, fmt::format("district '{}' is in {}", id, country_name(geo.country[*d])));
      if (t.text(r, c_admin1) != geo.province_name[geo.province[*d]])
        t.fail(r, c_admin1, fmt::format("district '{}' is in province {}", id, geo.province_name[geo.province[*d]]));
      DistrictMonthCount row{*d,
                             read_year(t, r, c_year),
                             read_month(t, r, c_month),
                             read_count(t, r, c_events),
                             read_count(t, r, c_fat),
                             read_count(t, r, c_named)};
      const auto key = std::make_tuple(row.district, row.year, row.month);
      if (auto [it, fresh] = seen.emplace(key, t.line(r)); !fresh)
        t.fail_row(
            r, fmt::format("duplicate row for {} {}-{:02d} (first on line {})", id, row.year, row.month, it->second));
      const auto tally = by_district_month.contains(key) ? by_district_month.at(key) : Tally{};
      expect_equal(t, r, c_events, row.events, tally.events, events.source);
      expect_equal(t, r, c_fat, row.fatalities, tally.fatalities, events.source);
      expect_equal(t, r, c_named, row.events_named_or_claimed, tally.named, events.source);
      out.district_month.push_back(row);
    }
    if (seen.size() != by_district_month.size())
      throw DataError(t.label(), 0, "",
                      fmt::format("lists {} non-zero district-months but {} has {}", seen.size(), events.source,
                                  by_district_month.size()));
  }
  return out;
}

}  // namespace iskabm
