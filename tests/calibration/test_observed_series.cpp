// Observed monthly series in the two layouts of data/aggregates: the bundled files load with their
// known totals, and malformed copies fail naming file, line and column.
#include <catch2/catch.hpp>

#include <map>

#include "base/errors.hpp"
#include "calibration/observed_series.hpp"
#include "support/data_copy.hpp"

using namespace iskabm;
using iskabm::test::DataCopy;

namespace {
const std::string country_month = "aggregates/isk_wikipedia_country_month.csv";
const std::string district_month = "aggregates/isk_wikipedia_district_month.csv";

std::map<std::pair<Country, int>, std::int64_t> yearly(const ObservedSeries& s) {
  std::map<std::pair<Country, int>, std::int64_t> out;
  for (const auto& r : s.rows) out[{r.country, r.month.year}] += r.value;
  return out;
}
}  // namespace

TEST_CASE("observed_series: year-month parsing and arithmetic", "[calibration][observed_series]") {
  CHECK(parse_year_month("2018-06") == YearMonth{2018, 6});
  CHECK_FALSE(parse_year_month("2018-13"));
  CHECK_FALSE(parse_year_month("2018-6"));
  CHECK_FALSE(parse_year_month("2018-06-01"));
  CHECK_FALSE(parse_year_month("20x8-06"));
  CHECK(YearMonth{2018, 11}.plus(3) == YearMonth{2019, 2});
  CHECK(months_between({2015, 1}, {2018, 6}) == 42);
  CHECK(to_string(YearMonth{2015, 3}) == "2015-03");
}

TEST_CASE("observed_series: the bundled country-month file has the published yearly counts",
          "[calibration][observed_series]") {
  const auto s = load_observed_series(test::bundled_data_dir() / country_month);
  CHECK(s.format == SeriesFormat::country_month);
  CHECK(s.column == "events_all");
  CHECK(s.rows.size() == 120);
  CHECK(s.first == YearMonth{2014, 1});
  CHECK(s.last == YearMonth{2018, 12});
  const auto y = yearly(s);
  const std::int64_t afg[] = {0, 2, 23, 34, 81}, pak[] = {0, 1, 3, 10, 17};
  for (int year = 2014; year <= 2018; ++year) {
    CHECK(y.at({Country::afghanistan, year}) == afg[year - 2014]);
    CHECK(y.at({Country::pakistan, year}) == pak[year - 2014]);
  }
  const auto f = load_observed_series(test::bundled_data_dir() / country_month, "fatalities_all");
  const auto fy = yearly(f);
  CHECK(fy.at({Country::afghanistan, 2017}) == 528);
  CHECK(fy.at({Country::pakistan, 2018}) == 243);
}

TEST_CASE("observed_series: the bundled district-month file is sparse and sums to the geocoded events",
          "[calibration][observed_series]") {
  const auto s = load_observed_series(test::bundled_data_dir() / district_month);
  CHECK(s.format == SeriesFormat::district_month);
  CHECK(s.column == "events");
  CHECK(s.rows.size() == 110);
  CHECK(s.first == YearMonth{2015, 1});  // whole calendar years
  CHECK(s.last == YearMonth{2018, 12});
  CHECK(s.rows.front().unit == "AFG-264");
  CHECK(s.rows.front().month == YearMonth{2016, 8});
  const auto y = yearly(s);
  // Events with a district (154 of 171): never more than the country-month counts.
  const std::int64_t afg[] = {2, 16, 31, 74}, pak[] = {1, 3, 10, 17};
  for (int year = 2015; year <= 2018; ++year) {
    CHECK(y.at({Country::afghanistan, year}) == afg[year - 2015]);
    CHECK(y.at({Country::pakistan, year}) == pak[year - 2015]);
  }
  const auto country = load_observed_series(test::bundled_data_dir() / country_month);
  std::map<std::pair<Country, int>, std::int64_t> cm, dm;
  for (const auto& r : country.rows) cm[{r.country, r.month.index()}] = r.value;
  for (const auto& r : s.rows) dm[{r.country, r.month.index()}] += r.value;
  for (const auto& [key, v] : dm) CHECK(v <= cm.at(key));
}

TEST_CASE("observed_series: a column the layout does not have is a usage error naming the choices",
          "[calibration][observed_series]") {
  try {
    (void)load_observed_series(test::bundled_data_dir() / district_month, "events_all");
    FAIL("expected a UsageError");
  } catch (const UsageError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Matchers::Contains("events, fatalities, events_named_or_claimed"));
    CHECK_THAT(std::string(e.what()), Catch::Matchers::Contains("district-month"));
  }
}

TEST_CASE("observed_series: malformed rows name file, line and column", "[calibration][observed_series]") {
  SECTION("month out of range") {
    DataCopy dc;
    dc.edit(country_month, 5, "2014,4,", "2014,13,");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month), dc.label(country_month), 5, "month",
                       "not 1..12");
  }
  SECTION("a count that is not an integer") {
    DataCopy dc;
    dc.edit(district_month, 3, ",1,33,", ",one,33,");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / district_month), dc.label(district_month), 3, "events", "");
  }
  SECTION("a negative count in the chosen column") {
    DataCopy dc;
    dc.edit(country_month, 7, "Afghanistan,2014,6,0,0,0", "Afghanistan,2014,6,0,0,-3");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month, "fatalities_all"), dc.label(country_month), 7,
                       "fatalities_all", "negative");
  }
  SECTION("an unknown country") {
    DataCopy dc;
    dc.edit(country_month, 2, "Afghanistan", "Iran");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month), dc.label(country_month), 2, "country", "Iran");
  }
  SECTION("a repeated country-month") {
    DataCopy dc;
    dc.append_line(country_month, "Pakistan,2018,12,0,0,0");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month), dc.label(country_month), 122, "",
                       "a second row for Pakistan 2018-12");
  }
  SECTION("a gap in the country-month grid") {
    DataCopy dc;
    dc.remove_line(country_month, 10);
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month), dc.label(country_month), 0, "",
                       "no row for Afghanistan 2014-09");
  }
  SECTION("an unexpected header") {
    DataCopy dc;
    dc.edit(country_month, 1, "events_all", "attacks");
    REQUIRE_DATA_ERROR(load_observed_series(dc.dir() / country_month), dc.label(country_month), 1, "attacks",
                       "unexpected column");
  }
}
