#include <catch2/catch.hpp>

#include "model/calendar.hpp"

using namespace iskabm;

TEST_CASE("calendar: day numbers of known dates", "[calendar]") {
  CHECK(to_day_number({1970, 1, 1}) == 0);
  CHECK(to_day_number({2000, 3, 1}) == 11017);
  CHECK(to_day_number({2015, 1, 1}) == 16436);
  CHECK(to_day_number({2021, 8, 15}) == 18854);  // the Taliban enter Kabul
  CHECK(to_day_number({1969, 12, 31}) == -1);
}

TEST_CASE("calendar: civil dates round-trip through day numbers 1900-2100", "[calendar]") {
  DayNumber n = to_day_number({1900, 1, 1});
  CivilDate prev = to_civil(n - 1);
  for (; n <= to_day_number({2100, 12, 31}); ++n) {
    const auto d = to_civil(n);
    REQUIRE(is_valid(d));
    REQUIRE(to_day_number(d) == n);
    const bool next_day = (d.day == prev.day + 1 && d.month == prev.month && d.year == prev.year) ||
                          (d.day == 1 && (d.month == prev.month + 1 || (d.month == 1 && d.year == prev.year + 1)));
    REQUIRE(next_day);
    prev = d;
  }
}

TEST_CASE("calendar: leap years and month lengths", "[calendar]") {
  CHECK(is_leap_year(2016));
  CHECK(is_leap_year(2000));
  CHECK_FALSE(is_leap_year(1900));
  CHECK_FALSE(is_leap_year(2018));
  CHECK(days_in_month(2016, 2) == 29);
  CHECK(days_in_month(2017, 2) == 28);
  CHECK(days_in_month(2017, 4) == 30);
  CHECK(days_in_month(2017, 13) == 0);
}

TEST_CASE("calendar: ISO dates are parsed strictly", "[calendar]") {
  CHECK(parse_iso_date("2016-02-29") == CivilDate{2016, 2, 29});
  CHECK(to_iso_string({2015, 4, 18}) == "2015-04-18");
  for (const char* bad : {"2015-02-29", "2015-2-01", "2015-13-01", "2015-00-10", "2015-01-00", "15-01-01", "2015/01/01",
                          "2015-01-01 ", "", "abcd-ef-gh", "2015-01-+1"})
    CHECK_FALSE(parse_iso_date(bad).has_value());
}
