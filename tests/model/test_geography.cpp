#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "base/errors.hpp"
#include "io/geography_loader.hpp"
#include "model/geography.hpp"
#include "support/data_copy.hpp"

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
  for (DistrictIndex d = 0; d < g.size(); ++d) {
    if (g.country[d] == Country::afghanistan) CHECK_FALSE(g.has_population(d));
    if (g.has_population(d)) ++known, total += g.population[d];
  }
  CHECK(known == 128);  // 142 units reached by the crosswalk, 14 of them with a part lacking population
  CHECK(total > 150e6);
  CHECK(total < 210.9e6);
  const auto karachi = g.find("PAK15-132");
  REQUIRE(karachi);
  CHECK(g.district_name[*karachi] == "Karachi");
  CHECK(g.population[*karachi] > 10e6);
}

namespace {
const std::string afg = "gazetteer/afg_districts.csv";
const std::string pak = "gazetteer/pak_districts_2015.csv";
const std::string adj = "gazetteer/afpak_district_adjacency.csv";
const std::string ocha = "gazetteer/pak_districts_2022_ocha.csv";
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
