#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "io/observed_data.hpp"
#include "support/data_copy.hpp"

using namespace iskabm;
using iskabm::test::DataCopy;

namespace {
const std::string events_file = "events/isk_events_wikipedia_afpak_2015_2018.csv";
const std::string country_month = "aggregates/isk_wikipedia_country_month.csv";
const std::string country_year = "aggregates/isk_wikipedia_country_year.csv";
const std::string district_month = "aggregates/isk_wikipedia_district_month.csv";
const std::string figures_file = "aggregates/published_figures.csv";
const std::string polygons_file = "gazetteer/afpak_districts_2015.geojson";
}  // namespace

TEST_CASE("observed data: the bundled incidents have the published counts by country and year", "[events][data]") {
  const auto d = load_observed_data(test::bundled_data_dir());
  const auto& ev = d.events;
  CHECK(ev.size() == 171);
  const int afg[] = {0, 2, 23, 34, 81}, pak[] = {0, 1, 3, 10, 17};
  for (int y = 2014; y <= 2018; ++y) {
    CHECK(ev.count(Country::afghanistan, y) == static_cast<std::size_t>(afg[y - 2014]));
    CHECK(ev.count(Country::pakistan, y) == static_cast<std::size_t>(pak[y - 2014]));
  }
  std::size_t joint = 0, geocoded = 0;
  long fatalities = 0;
  for (const auto& e : ev.events) {
    joint += e.joint_claim();
    geocoded += e.district.has_value();
    fatalities += e.fatalities;
    CHECK(e.fatalities_high >= e.fatalities);
  }
  CHECK(joint == 10);
  CHECK(geocoded == 154);
  CHECK(fatalities == 39 + 283 + 528 + 909 + 45 + 118 + 188 + 243);

  const auto& first = ev.events.front();
  CHECK(first.event_id == "WIKI-02564");
  CHECK(first.date == CivilDate{2015, 4, 18});
  CHECK(d.geography.district_id[*first.district] == "AFG-195");
  CHECK(first.attack_type == ObservedAttackType::bombing);
  CHECK(first.attribution == Attribution::named_or_claimed);
  const auto& karachi = ev.events[1];
  CHECK(karachi.joint_partners == std::vector<std::string>{"Tehrik-i-Taliban Pakistan", "Jundallah"});
  CHECK(karachi.details.find("Shia") != std::string::npos);
}

TEST_CASE("observed data: aggregates, figures and polygons load and agree", "[events][data]") {
  const auto d = load_observed_data(test::bundled_data_dir());
  CHECK(d.aggregates.country_month.size() == 120);
  CHECK(d.aggregates.country_year.size() == 10);
  CHECK(d.aggregates.district_month.size() == 110);
  CHECK(d.figures.figures.size() == 27);
  const auto* f01 = d.figures.find("F01");
  REQUIRE(f01);
  CHECK(f01->value_low == 11668);
  const auto* f06 = d.figures.find("F06");
  REQUIRE(f06);
  CHECK(f06->value_low == 2000);
  CHECK(f06->value_high == 3500);
  CHECK(d.polygons.features == 546);
}

TEST_CASE("observed data: malformed incidents are rejected with file, line and column", "[events][errors]") {
  DataCopy data;
  const auto label = data.label(events_file);
  SECTION("date out of range") {
    data.edit(events_file, 2, "2015-04-18,2015,4", "2019-04-18,2019,4");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "date", "outside the observed window");
  }
  SECTION("impossible date") {
    data.edit(events_file, 2, "2015-04-18", "2015-04-31");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "date", "cannot parse '2015-04-31' as a date");
  }
  SECTION("year column disagrees with the date") {
    data.edit(events_file, 2, "2015-04-18,2015", "2015-04-18,2016");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "year", "disagrees with date");
  }
  SECTION("unknown district id") {
    data.edit(events_file, 2, "AFG-195", "AFG-999");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "district_id", "unknown district id 'AFG-999'");
  }
  SECTION("district in another province") {
    data.edit(events_file, 2, "AFG-195", "AFG-001");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "district_id", "is in province Jawzjan");
  }
  SECTION("unparsable fatalities") {
    data.edit(events_file, 2, "bombing,33,33", "bombing,thirty,33");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "fatalities", "cannot parse 'thirty'");
  }
  SECTION("fatality range reversed") {
    data.edit(events_file, 2, "bombing,33,33", "bombing,33,30");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "fatalities_high", "below fatalities 33");
  }
  SECTION("unknown attribution") {
    data.edit(events_file, 2, ",named_or_claimed,", ",rumoured,");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "attribution", "unknown value 'rumoured'");
  }
  SECTION("joint-claim flag without a partner") {
    data.edit(events_file, 2, "named_or_claimed,,0,", "named_or_claimed,,1,");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 2, "joint_claim_flag", "joint_partner_named is empty");
  }
  SECTION("duplicate event id") {
    data.edit(events_file, 3, "WIKI-02582", "WIKI-02564");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), label, 3, "event_id", "duplicate event id");
  }
}

TEST_CASE("observed data: aggregates that disagree with the incidents are rejected", "[events][errors]") {
  DataCopy data;
  SECTION("a country-month count") {
    data.edit(country_month, 2, "Afghanistan,2014,1,0,0,0", "Afghanistan,2014,1,1,0,0");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(country_month), 2, "events_all", "states 1 but");
  }
  SECTION("a missing month of the grid") {
    data.remove_line(country_month, 2);
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(country_month), 0, "", "grid has 119 rows");
  }
  SECTION("a duplicate country-year") {
    data.append_line(country_year, data.lines(country_year)[1]);
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(country_year), 12, "", "duplicate row");
  }
  SECTION("a district-month in the wrong province") {
    data.edit(district_month, 2, ",Balkh,", ",Kabul,");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(district_month), 2, "admin1", "in province Balkh");
  }
  SECTION("a month out of range") {
    data.edit(district_month, 2, ",2016,8,", ",2016,13,");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(district_month), 2, "month", "month must be 1..12");
  }
}

TEST_CASE("observed data: malformed figures and polygons are rejected", "[events][errors]") {
  DataCopy data;
  SECTION("figure range reversed") {
    data.edit(figures_file, 7, ",2000,3500,", ",3500,2000,");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(figures_file), 7, "value_high",
                       "below value_low 3500");
  }
  SECTION("polygon of an unknown district") {
    data.edit(polygons_file, 1, "\"AFG-001\"", "\"AFG-999\"");
    REQUIRE_DATA_ERROR(load_observed_data(data.dir()), data.label(polygons_file), 0,
                       "features[0].properties.district_id", "unknown district id 'AFG-999'");
  }
}

TEST_CASE("observed data: a missing directory or file is an I/O error", "[events][errors]") {
  CHECK_THROWS_AS(load_observed_data("/nonexistent/iskabm-data"), IoError);
  DataCopy data;
  std::filesystem::remove(data.dir() / events_file);
  try {
    (void)load_observed_data(data.dir());
    FAIL("expected IoError");
  } catch (const IoError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Matchers::Contains("isk_events_wikipedia_afpak_2015_2018.csv"));
  }
}
