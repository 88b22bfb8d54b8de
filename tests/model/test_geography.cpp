#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "base/errors.hpp"
#include "io/geography_loader.hpp"
#include "model/geography.hpp"
#include "support/data_copy.hpp"
#include "support/model_fixture.hpp"

using namespace iskabm;
using iskabm::test::DataCopy;

TEST_CASE("geography: the bundled map has the published counts", "[geography][data]") {
  const auto g = load_geography(test::bundled_data_dir());
  CHECK(g.size() == 546);
  CHECK(g.country_districts[0].size() == 398);
  CHECK(g.country_districts[1].size() == 148);
  CHECK(g.pair_count == 1567);
  CHECK(g.cross_border_pair_count == 63);
  CHECK(g.adjacency_target.size() == 2 * 1567);
  CHECK(g.province_count() == 34 + 8);
  CHECK(g.district_id.front() == "AFG-001");
  CHECK(g.country[397] == Country::afghanistan);
  CHECK(g.country[398] == Country::pakistan);
}

TEST_CASE("geography: adjacency is symmetric, irreflexive, sorted, and cross-border flags match countries",
          "[geography][data]") {
  const auto g = load_geography(test::bundled_data_dir());
  std::size_t cross_halves = 0;
  for (DistrictIndex d = 0; d < g.size(); ++d) {
    const auto nb = g.neighbours(d);
    REQUIRE(!nb.empty());
    REQUIRE(std::is_sorted(nb.begin(), nb.end()));
    REQUIRE(std::adjacent_find(nb.begin(), nb.end()) == nb.end());
    for (std::size_t k = 0; k < nb.size(); ++k) {
      const auto e = nb[k];
      REQUIRE(e != d);
      const auto back = g.neighbours(e);
      REQUIRE(std::binary_search(back.begin(), back.end(), d));
      const bool cross = g.adjacency_cross_border[g.adjacency_offset[d] + k];
      REQUIRE(cross == (g.country[d] != g.country[e]));
      cross_halves += cross;
    }
  }
  CHECK(cross_halves == 2 * 63);
}

TEST_CASE("geography: provinces and countries index every district once", "[geography][data]") {
  const auto g = load_geography(test::bundled_data_dir());
  std::set<DistrictIndex> seen;
  for (ProvinceIndex p = 0; p < g.province_count(); ++p)
    for (auto d : g.districts_of_province(p)) {
      CHECK(g.province[d] == p);
      CHECK(g.country[d] == g.province_country[p]);
      CHECK(seen.insert(d).second);
    }
  CHECK(seen.size() == g.size());

  const auto nangarhar = g.find_province("Nangarhar");
  REQUIRE(nangarhar);
  const auto achin = g.find("AFG-029");
  REQUIRE(achin);
  CHECK(g.district_name[*achin] == "Acheen");
  CHECK(g.province[*achin] == *nangarhar);
  CHECK(g.find_province("Balochistan").has_value());
  CHECK_FALSE(g.find("AFG-999").has_value());
}

TEST_CASE("geography: Pakistani population comes from the OCHA crosswalk where complete", "[geography][data]") {
  const auto g = load_geography(test::bundled_data_dir());
  std::size_t known = 0;
  double total = 0;
  for (auto d : g.country_districts[static_cast<std::size_t>(Country::pakistan)])
    if (g.has_population(d)) ++known, total += g.population[d];
  CHECK(known == 128);  // 142 units reached by the crosswalk, 14 of them with a part lacking population
  CHECK(total > 150e6);
  CHECK(total < 210.9e6);
  const auto karachi = g.find("PAK15-132");
  REQUIRE(karachi);
  CHECK(g.district_name[*karachi] == "Karachi");
  CHECK(g.population[*karachi] > 10e6);
}

namespace {
double population_of_province(const Geography& g, std::string_view province) {
  const auto p = g.find_province(province);
  REQUIRE(p);
  double sum = 0;
  for (auto d : g.districts_of_province(*p)) sum += g.population[d];
  return sum;
}
}  // namespace

TEST_CASE("geography: Afghan population is the CSO 2013-14 settled population of every district",
          "[geography][data][covariates]") {
  const auto g = load_geography(test::bundled_data_dir());
  double total = 0;
  for (auto d : g.country_districts[static_cast<std::size_t>(Country::afghanistan)]) {
    REQUIRE(g.has_population(d));
    CHECK(g.population[d] > 0);
    CHECK(std::fmod(g.population[d], 100.0) == 0.0);  // the table is in thousands to one decimal
    total += g.population[d];
  }
  // The CSO's 34 province Total rows add to 26,023,100 settled people; the 31,900 of the
  // temporary district Patoo (Daykundi) go to no district (no source names its 2014 parent).
  CHECK(total == 26'023'100.0 - 31'900.0);
  // Kabul district is the city: the CSO's "Kabul Center" row, inside the province's Total row.
  const auto kabul = g.find("AFG-187");
  REQUIRE(kabul);
  CHECK(g.population[*kabul] == 3'414'100.0);
  CHECK(g.population[*kabul] < 4'086'500.0);
  CHECK(g.urban_share[*kabul] == 1.0);
  // Province sums equal the CSO's own Total rows where the gazetteer places every district as the
  // CSO counts it (elsewhere the differences are the districts listed in the crosswalk as manual).
  CHECK(population_of_province(g, "Kabul") == 4'086'500.0);
  CHECK(population_of_province(g, "Nangarhar") == 1'462'600.0);
  CHECK(population_of_province(g, "Hirat") == 1'816'100.0);
  CHECK(population_of_province(g, "Kunar") == 436'000.0);
  // Achin (Acheen): 99,100, all rural.
  const auto achin = g.find("AFG-029");
  REQUIRE(achin);
  CHECK(g.population[*achin] == 99'100.0);
  CHECK(g.urban_share[*achin] == 0.0);
}

TEST_CASE("geography: urban share, distance to a major city and Shia presence cover every unit",
          "[geography][data][covariates]") {
  const auto g = load_geography(test::bundled_data_dir());
  REQUIRE(g.city_name.size() == 16);
  REQUIRE(g.city_district.size() == 16);
  CHECK(g.city_name.front() == "Kabul");
  CHECK(g.district_id[g.city_district.front()] == "AFG-187");
  for (DistrictIndex d = 0; d < g.size(); ++d) {
    INFO(g.district_id[d]);
    REQUIRE(g.nearest_city[d] >= 0);
    REQUIRE(static_cast<std::size_t>(g.nearest_city[d]) < g.city_name.size());
    CHECK(g.distance_to_city_km[d] >= 0);
    CHECK(g.distance_to_city_km[d] < 500);
    CHECK(g.shia_presence[d] >= 0);
    CHECK(g.shia_presence[d] <= 1);
    if (g.country[d] == Country::afghanistan) {
      CHECK(g.urban_share[d] >= 0);
      CHECK(g.urban_share[d] <= 1);
    } else {
      CHECK(std::isnan(g.urban_share[d]));  // no district urban table for Pakistan is bundled
    }
  }
  // Each city's own district is near it.
  for (std::size_t k = 0; k < g.city_name.size(); ++k) {
    const auto d = g.city_district[k];
    INFO(g.city_name[k]);
    CHECK(g.city_name[static_cast<std::size_t>(g.nearest_city[d])] == g.city_name[k]);
    CHECK(g.distance_to_city_km[d] < 35);
  }
  const auto jalalabad = g.find("AFG-195");
  REQUIRE(jalalabad);
  CHECK(g.city_name[static_cast<std::size_t>(g.nearest_city[*jalalabad])] == "Jalalabad");
  CHECK(g.distance_to_city_km[*jalalabad] < 10);
  const auto achin = g.find("AFG-029");
  REQUIRE(achin);
  CHECK(g.city_name[static_cast<std::size_t>(g.nearest_city[*achin])] == "Jalalabad");
  CHECK(g.distance_to_city_km[*achin] > 30);
  CHECK(g.distance_to_city_km[*achin] < 80);
  // Coarse Shia levels: the Hazarajat high, Nangarhar none coded, Kurram and Quetta in between.
  for (const char* id : {"AFG-212", "AFG-051", "AFG-138", "AFG-271", "PAK15-062"}) {
    INFO(id);
    CHECK(g.shia_presence[*g.find(id)] == 1.0);
  }
  CHECK(g.shia_presence[*achin] == 0.0);
  CHECK(g.shia_presence[*g.find("PAK15-051")] == 0.5);  // Kurram Agency
  CHECK(g.shia_presence[*g.find("PAK15-036")] == 0.5);  // Quetta
}

namespace {
const std::string afg = "gazetteer/afg_districts.csv";
const std::string pak = "gazetteer/pak_districts_2015.csv";
const std::string adj = "gazetteer/afpak_district_adjacency.csv";
const std::string ocha = "gazetteer/pak_districts_2022_ocha.csv";
const std::string cov = "covariates/district_covariates.csv";
const std::string cities = "covariates/major_cities.csv";
}  // namespace

TEST_CASE("geography: malformed gazetteers are rejected with file, line and column", "[geography][errors]") {
  DataCopy data;
  SECTION("unparsable number") {
    data.edit(afg, 5, ",331.2,", ",33x1.2,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 5, "area_km2", "cannot parse '33x1.2'");
  }
  SECTION("duplicate district id") {
    data.edit(afg, 3, "AFG-002", "AFG-001");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 3, "district_id",
                       "duplicate district id 'AFG-001'");
  }
  SECTION("district id repeated across the two countries' files") {
    data.edit(pak, 2, "PAK15-001", "AFG-004");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(pak), 2, "district_id", "first seen at");
  }
  SECTION("missing column") {
    auto ls = data.lines(afg);
    for (auto& l : ls) l = l.substr(0, l.rfind(','));  // drop n_neighbors
    data.write_lines(afg, ls);
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 1, "n_neighbors", "missing column");
  }
  SECTION("extra column") {
    auto ls = data.lines(pak);
    ls[0] += ",urban";
    for (std::size_t i = 1; i < ls.size(); ++i) ls[i] += ",0";
    data.write_lines(pak, ls);
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(pak), 1, "urban", "unexpected column");
  }
  SECTION("wrong country") {
    data.edit(afg, 10, ",Afghanistan,", ",Pakistan,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 10, "country", "expected 'Afghanistan'");
  }
  SECTION("centroid outside the region") {
    data.edit(afg, 2, "37.04881", "-37.04881");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 2, "centroid_lat", "outside the AfPak region");
  }
  SECTION("unknown unit status") {
    data.edit(pak, 4, ",District,", ",Tehsil,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(pak), 4, "unit_status", "unknown unit status 'Tehsil'");
  }
  SECTION("crosswalk to an unknown unit") {
    data.edit(ocha, 2, "PAK15-001", "PAK15-999");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(ocha), 2, "pak15_district_id",
                       "unknown district id 'PAK15-999'");
  }
}

TEST_CASE("geography: malformed adjacency is rejected with file, line and column", "[geography][errors]") {
  DataCopy data;
  SECTION("unknown district id") {
    data.edit(adj, 2, "AFG-101", "AFG-999");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 2, "district_id_b",
                       "unknown district id 'AFG-999'");
  }
  SECTION("self adjacency") {
    data.edit(adj, 2, "AFG-101", "AFG-001");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 2, "district_id_b", "self adjacency");
  }
  SECTION("asymmetric: the reverse pair with different attributes") {
    data.append_line(adj, "AFG-101,AFG-001,Afghanistan,Afghanistan,0,99.9");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 1569, "", "asymmetric adjacency");
  }
  SECTION("duplicate pair") {
    data.append_line(adj, data.lines(adj)[1]);
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 1569, "", "duplicate pair AFG-001 - AFG-101");
  }
  SECTION("a missing pair shows up as a neighbour-count mismatch in the gazetteer") {
    data.remove_line(adj, 2);  // AFG-001 -- AFG-101
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(afg), 2, "n_neighbors",
                       "'AFG-001' states 7 neighbours but");
  }
  SECTION("cross-border flag disagrees with the countries") {
    data.edit(adj, 2, ",0,", ",1,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 2, "cross_border", "in the same countries");
  }
  SECTION("country column disagrees with the gazetteer") {
    data.edit(adj, 2, "Afghanistan,Afghanistan", "Pakistan,Afghanistan");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 2, "country_a", "in Afghanistan according to");
  }
  SECTION("unparsable number") {
    data.edit(adj, 3, ",57.9", ",fifty");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(adj), 3, "overlap_km2_of_1km_buffers",
                       "cannot parse 'fifty'");
  }
}

TEST_CASE("geography: malformed covariates are rejected with file, line and column",
          "[geography][errors][covariates]") {
  DataCopy data;
  // Line 2 is AFG-001 (Mardyan): 38,100 people, urban share 0, nearest city Mazar-i-Sharif 79.9 km.
  REQUIRE(data.lines(cov)[1].rfind("AFG-001,38100,2013-14,", 0) == 0);
  SECTION("unparsable population") {
    data.edit(cov, 2, ",38100,", ",38x100,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "population", "cannot parse '38x100'");
  }
  SECTION("negative population") {
    data.edit(cov, 2, ",38100,", ",-38100,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "population", "must be >= 0");
  }
  SECTION("a value without its source") {
    data.edit(cov, 2, "CSO 2013-14 settled population (raw_cso_pop_13_14.csv)", "");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "population_source",
                       "empty, but population is given");
  }
  SECTION("urban share outside 0..1") {
    data.edit(cov, 2, ",0.0000,", ",1.5000,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "urban_share", "must be a share in 0..1");
  }
  SECTION("negative distance") {
    data.edit(cov, 2, ",79.9,", ",-79.9,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "distance_to_city_km", "must be >= 0");
  }
  SECTION("a distance that is not the great circle to the city") {
    data.edit(cov, 2, ",79.9,", ",89.9,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "distance_to_city_km",
                       "great-circle distance from the centroid to Mazar-i-Sharif is 79.9 km");
  }
  SECTION("a city that is not the nearest") {
    data.edit(cov, 2, ",Mazar-i-Sharif,79.9,", ",Kabul,379.0,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "nearest_city",
                       "Kabul is not the nearest major city");
  }
  SECTION("unknown city") {
    data.edit(cov, 2, ",Mazar-i-Sharif,", ",Atlantis,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "nearest_city",
                       "'Atlantis' is not in major_cities.csv");
  }
  SECTION("Shia presence outside 0..1") {
    data.edit(cov, 2, ",0,assumption", ",2,assumption");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "shia_presence", "must be a level in 0..1");
  }
  SECTION("a Pakistani population that disagrees with the OCHA sum") {
    const auto line = data.lines(cov)[399];  // PAK15-001 Bagh: 371,919 in the OCHA attribute
    REQUIRE(line.rfind("PAK15-001,371919,", 0) == 0);
    data.edit(cov, 400, ",371919,", ",371921,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 400, "population",
                       "disagrees with the gazetteer population 371919");
  }
  SECTION("a district listed twice") {
    data.replace_line(cov, 3, data.lines(cov)[1]);
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 3, "district_id",
                       "district 'AFG-001' listed twice (first on line 2)");
  }
  SECTION("a district missing") {
    data.remove_line(cov, 547);  // PAK15-148
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 0, "district_id", "district 'PAK15-148'");
  }
  SECTION("unknown district") {
    data.edit(cov, 2, "AFG-001", "AFG-999");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cov), 2, "district_id", "unknown district id 'AFG-999'");
  }
  SECTION("a malformed city coordinate") {
    data.edit(cities, 2, ",34.533,", ",34.5x33,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cities), 2, "lat", "cannot parse '34.5x33'");
  }
  SECTION("a city in the wrong country") {
    data.edit(cities, 2, ",Afghanistan,", ",Pakistan,");
    REQUIRE_DATA_ERROR(load_geography(data.dir()), data.label(cities), 2, "country", "in Afghanistan according to");
  }
  SECTION("the covariates file is missing") {
    std::filesystem::remove(data.dir() / cov);
    CHECK_THROWS_AS(load_geography(data.dir()), IoError);
  }
}

TEST_CASE("geography: distances_to is centroid_distance_km, computed once and shared by copies", "[model][geography]") {
  const auto& g = test::bundled_geography();
  const auto kabul = *g.find("AFG-187");
  const auto row = g.distances_to(kabul);
  REQUIRE(row.size() == g.size());
  for (DistrictIndex d = 0; d < g.size(); ++d)
    if (row[d] != centroid_distance_km(g, d, kabul)) FAIL("district " << g.district_id[d]);
  CHECK(row[kabul] == 0.0);
  CHECK(g.distances_to(kabul).data() == row.data());  // kept, not recomputed
  const Geography copy = g;
  CHECK(copy.distances_to(kabul).data() == row.data());
}
