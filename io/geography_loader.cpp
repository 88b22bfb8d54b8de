#include "io/geography_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "base/errors.hpp"
#include "io/csv_table.hpp"

namespace iskabm {

namespace {

struct GazetteerRow {
  std::string label;  // file the district came from
  std::size_t line;
  std::int64_t n_neighbors;
};

class GeographyBuilder {
 public:
  explicit GeographyBuilder(std::filesystem::path dir) : dir_(std::move(dir)) {}

  Geography build() {
    read_districts("afg_districts.csv", Country::afghanistan);
    read_districts("pak_districts_2015.csv", Country::pakistan);
    read_pakistan_population();
    read_adjacency();
    index_provinces_and_countries();
    read_cities();
    read_covariates();
    return std::move(g_);
  }

 private:
  std::filesystem::path file(const char* name) const { return dir_ / "gazetteer" / name; }
  std::filesystem::path covariate_file(const char* name) const { return dir_ / "covariates" / name; }

  void read_districts(const char* name, Country expected) {
    const bool pak = expected == Country::pakistan;
    auto t = pak ? CsvTable::read(file(name), {"district_id", "source_shape_id", "country", "iso3", "admin1_province",
                                               "district_name", "unit_status", "centroid_lat", "centroid_lon",
                                               "area_km2", "n_neighbors"})
                 : CsvTable::read(file(name), {"district_id", "source_shape_id", "country", "iso3", "admin1_province",
                                               "district_name", "centroid_lat", "centroid_lon", "area_km2",
                                               "population", "population_source", "n_neighbors"});
    const auto c_id = t.column("district_id"), c_country = t.column("country"), c_iso = t.column("iso3"),
               c_prov = t.column("admin1_province"), c_name = t.column("district_name"),
               c_lat = t.column("centroid_lat"), c_lon = t.column("centroid_lon"), c_area = t.column("area_km2"),
               c_nn = t.column("n_neighbors");
    const std::string iso = pak ? "PAK" : "AFG";
    if (t.rows() == 0) throw DataError(t.label(), 0, "", "no districts");
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string id(t.required_text(r, c_id));
      if (auto it = g_.index_of_id.find(id); it != g_.index_of_id.end())
        t.fail(r, c_id,
               fmt::format("duplicate district id '{}' (first seen at {}:{})", id, gazetteer_[it->second].label,
                           gazetteer_[it->second].line));
      auto country = parse_country(t.required_text(r, c_country));
      if (!country || *country != expected)
        t.fail(r, c_country, fmt::format("expected '{}', found '{}'", country_name(expected), t.text(r, c_country)));
      if (t.text(r, c_iso) != iso) t.fail(r, c_iso, fmt::format("expected '{}', found '{}'", iso, t.text(r, c_iso)));
      const double lat = t.number(r, c_lat), lon = t.number(r, c_lon), area = t.number(r, c_area);
      // The AfPak region lies within 23-39 N, 60-78 E; a centroid outside it is a swapped or broken value.
      if (lat < 23.0 || lat > 39.0)
        t.fail(r, c_lat, fmt::format("latitude {} is outside the AfPak region (23..39)", lat));
      if (lon < 60.0 || lon > 78.0)
        t.fail(r, c_lon, fmt::format("longitude {} is outside the AfPak region (60..78)", lon));
      if (!(area > 0.0)) t.fail(r, c_area, fmt::format("area must be positive, got {}", area));
      const auto nn = t.integer(r, c_nn);
      if (nn < 0) t.fail(r, c_nn, fmt::format("must be >= 0, got {}", nn));

      double population = std::numeric_limits<double>::quiet_NaN();
      std::uint8_t status = 0;
      if (pak) {
        const auto c_status = t.column("unit_status");
        const auto s = t.text(r, c_status);
        if (s == "District")
          status = 0;
        else if (s == "Agency")
          status = 1;
        else if (s == "FR")
          status = 2;
        else
          t.fail(r, c_status, fmt::format("unknown unit status '{}' (expected District, Agency or FR)", s));
      } else if (auto p = t.optional_number(r, t.column("population"))) {
        if (*p < 0) t.fail(r, t.column("population"), fmt::format("must be >= 0, got {}", *p));
        population = *p;
      }

      const auto index = static_cast<DistrictIndex>(g_.size());
      g_.index_of_id.emplace(id, index);
      g_.district_id.push_back(id);
      g_.district_name.push_back(std::string(t.required_text(r, c_name)));
      g_.country.push_back(expected);
      g_.province.push_back(province_index(std::string(t.required_text(r, c_prov)), expected));
      g_.area_km2.push_back(area);
      g_.population.push_back(population);
      g_.centroid_lat.push_back(lat);
      g_.centroid_lon.push_back(lon);
      g_.unit_status.push_back(status);
      gazetteer_.push_back({t.label(), t.line(r), nn});
    }
  }

  ProvinceIndex province_index(const std::string& name, Country c) {
    auto key = std::make_pair(c, name);
    auto it = province_lookup_.find(key);
    if (it != province_lookup_.end()) return it->second;
    const auto p = static_cast<ProvinceIndex>(g_.province_name.size());
    province_lookup_.emplace(key, p);
    g_.province_name.push_back(name);
    g_.province_country.push_back(c);
    return p;
  }

  void read_pakistan_population() {
    auto t = CsvTable::read(file("pak_districts_2022_ocha.csv"),
                            {"district_id", "country", "iso3", "admin1_pcode", "admin1_province", "division",
                             "district_name", "headquarters", "centroid_lat", "centroid_lon", "area_km2_geodesic",
                             "area_km2_attr", "population_attr", "density_attr", "pak15_district_id"});
    const auto c_id = t.column("district_id"), c_pop = t.column("population_attr"), c_x = t.column("pak15_district_id");
    std::map<DistrictIndex, double> sum;
    std::map<DistrictIndex, bool> complete;
    std::map<std::string, std::size_t, std::less<>> seen;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string id(t.required_text(r, c_id));
      if (!seen.emplace(id, t.line(r)).second)
        t.fail(r, c_id, fmt::format("duplicate district id '{}' (first seen on line {})", id, seen[id]));
      const auto target = t.required_text(r, c_x);
      auto d = g_.find(target);
      if (!d) t.fail(r, c_x, fmt::format("unknown district id '{}'", target));
      if (g_.country[*d] != Country::pakistan) t.fail(r, c_x, fmt::format("'{}' is not a Pakistani unit", target));
      auto pop = t.optional_number(r, c_pop);
      if (pop && *pop < 0) t.fail(r, c_pop, fmt::format("must be >= 0, got {}", *pop));
      complete.try_emplace(*d, true);
      if (pop)
        sum[*d] += *pop;
      else
        complete[*d] = false;
    }
    for (auto [d, ok] : complete)
      if (ok) g_.population[d] = sum[d];
  }

  // data/covariates/major_cities.csv: the cities distances are measured to, in file order.
  void read_cities() {
    auto t = CsvTable::read(covariate_file("major_cities.csv"),
                            {"city", "country", "lat", "lon", "district_id", "population", "population_source"});
    const auto c_city = t.column("city"), c_country = t.column("country"), c_lat = t.column("lat"),
               c_lon = t.column("lon"), c_id = t.column("district_id"), c_pop = t.column("population");
    if (t.rows() == 0) throw DataError(t.label(), 0, "", "no cities");
    if (t.rows() > static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max()))
      throw DataError(
          t.label(), 0, "",
          fmt::format("{} cities; at most {} are supported", t.rows(), std::numeric_limits<std::int16_t>::max()));
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const std::string name(t.required_text(r, c_city));
      if (std::find(g_.city_name.begin(), g_.city_name.end(), name) != g_.city_name.end())
        t.fail(r, c_city, fmt::format("city '{}' listed twice", name));
      const auto id = t.required_text(r, c_id);
      const auto d = g_.find(id);
      if (!d) t.fail(r, c_id, fmt::format("unknown district id '{}'", id));
      const auto country = parse_country(t.required_text(r, c_country));
      if (!country) t.fail(r, c_country, fmt::format("unknown country '{}'", t.text(r, c_country)));
      if (*country != g_.country[*d])
        t.fail(r, c_country,
               fmt::format("'{}' is in {} according to the gazetteer, not '{}'", id, country_name(g_.country[*d]),
                           t.text(r, c_country)));
      const double lat = t.number(r, c_lat), lon = t.number(r, c_lon);
      if (lat < 23.0 || lat > 39.0)
        t.fail(r, c_lat, fmt::format("latitude {} is outside the AfPak region (23..39)", lat));
      if (lon < 60.0 || lon > 78.0)
        t.fail(r, c_lon, fmt::format("longitude {} is outside the AfPak region (60..78)", lon));
      if (auto p = t.optional_number(r, c_pop); p && *p < 0) t.fail(r, c_pop, fmt::format("must be >= 0, got {}", *p));
      g_.city_name.push_back(name);
      g_.city_district.push_back(*d);
      city_lat_.push_back(lat);
      city_lon_.push_back(lon);
    }
  }

  static double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
    constexpr double radius_km = 6371.0, rad = 3.14159265358979323846 / 180.0;
    const double p1 = lat1 * rad, p2 = lat2 * rad, dphi = p2 - p1, dlambda = (lon2 - lon1) * rad;
    const double a = std::sin(dphi / 2) * std::sin(dphi / 2) +
                     std::cos(p1) * std::cos(p2) * std::sin(dlambda / 2) * std::sin(dlambda / 2);
    return 2 * radius_km * std::asin(std::sqrt(a));
  }

  // data/covariates/district_covariates.csv: one row per gazetteer unit. A value with no source is
  // empty (NaN here); a value and its source come together. Pakistani populations must agree with
  // the OCHA sum computed above, distances with the great circle from the centroid to the city.
  void read_covariates() {
    auto t = CsvTable::read(covariate_file("district_covariates.csv"),
                            {"district_id", "population", "population_year", "population_source", "urban_share",
                             "urban_source", "nearest_city", "distance_to_city_km", "shia_presence", "shia_source"});
    const auto c_id = t.column("district_id"), c_pop = t.column("population"), c_year = t.column("population_year"),
               c_psrc = t.column("population_source"), c_urban = t.column("urban_share"),
               c_usrc = t.column("urban_source"), c_city = t.column("nearest_city"),
               c_dist = t.column("distance_to_city_km"), c_shia = t.column("shia_presence"),
               c_ssrc = t.column("shia_source");
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t n = g_.size();
    g_.urban_share.assign(n, nan);
    g_.distance_to_city_km.assign(n, nan);
    g_.nearest_city.assign(n, -1);
    g_.shia_presence.assign(n, nan);
    std::vector<std::size_t> row_of(n, t.rows());  // district -> covariate row (rows() = none yet)

    // A value and its source are given together or not at all.
    auto sourced = [&](std::size_t r, std::size_t value_col, std::initializer_list<std::size_t> source_cols) {
      const bool has_value = !t.text(r, value_col).empty();
      for (auto sc : source_cols)
        if (t.text(r, sc).empty() == has_value)
          t.fail(r, sc,
                 has_value ? fmt::format("empty, but {} is given", t.column_name(value_col))
                           : fmt::format("given, but {} is empty", t.column_name(value_col)));
      return has_value;
    };

    for (std::size_t r = 0; r < t.rows(); ++r) {
      const auto id = t.required_text(r, c_id);
      const auto found = g_.find(id);
      if (!found) t.fail(r, c_id, fmt::format("unknown district id '{}'", id));
      const auto d = *found;
      if (row_of[d] != t.rows())
        t.fail(r, c_id, fmt::format("district '{}' listed twice (first on line {})", id, t.line(row_of[d])));
      row_of[d] = r;

      double population = nan;
      if (sourced(r, c_pop, {c_year, c_psrc})) {
        population = t.number(r, c_pop);
        if (population < 0) t.fail(r, c_pop, fmt::format("must be >= 0, got {}", population));
      }
      // The gazetteer's own figure (Pakistan: the OCHA sum) must agree where there is one.
      const double gazetteer = g_.population[d];
      if (!std::isnan(gazetteer) || g_.country[d] == Country::pakistan) {
        const bool agree = std::isnan(gazetteer) ? std::isnan(population)
                                                 : !std::isnan(population) && std::abs(population - gazetteer) <= 1.0;
        if (!agree)
          t.fail(r, c_pop,
                 fmt::format("'{}' disagrees with the gazetteer population {} ({})", t.text(r, c_pop),
                             std::isnan(gazetteer) ? std::string("(none)") : fmt::format("{:.0f}", gazetteer),
                             g_.country[d] == Country::pakistan ? "OCHA 2017-census sum over pak15_district_id"
                                                                : "afg_districts.csv"));
      }
      g_.population[d] = population;

      if (sourced(r, c_urban, {c_usrc})) {
        const double u = t.number(r, c_urban);
        if (!(u >= 0.0 && u <= 1.0)) t.fail(r, c_urban, fmt::format("must be a share in 0..1, got {}", u));
        g_.urban_share[d] = u;
      }

      const std::string city(t.required_text(r, c_city));
      const auto it = std::find(g_.city_name.begin(), g_.city_name.end(), city);
      if (it == g_.city_name.end()) t.fail(r, c_city, fmt::format("'{}' is not in major_cities.csv", city));
      const auto k = static_cast<std::size_t>(it - g_.city_name.begin());
      const double dist = t.number(r, c_dist);
      if (dist < 0) t.fail(r, c_dist, fmt::format("must be >= 0, got {}", dist));
      // Written to 0.1 km: a value off by more than the rounding was edited or computed otherwise.
      constexpr double tolerance_km = 0.05 + 1e-6;
      const double lat = g_.centroid_lat[d], lon = g_.centroid_lon[d];
      const double exact = great_circle_km(lat, lon, city_lat_[k], city_lon_[k]);
      if (std::abs(dist - exact) > tolerance_km)
        t.fail(r, c_dist,
               fmt::format("{} km, but the great-circle distance from the centroid to {} is {:.1f} km",
                           t.text(r, c_dist), city, exact));
      for (std::size_t j = 0; j < g_.city_name.size(); ++j)
        if (const double other = great_circle_km(lat, lon, city_lat_[j], city_lon_[j]); other < exact - tolerance_km)
          t.fail(r, c_city,
                 fmt::format("{} is not the nearest major city: {} is {:.1f} km away, {} {:.1f} km", city,
                             g_.city_name[j], other, city, exact));
      g_.nearest_city[d] = static_cast<std::int16_t>(k);
      g_.distance_to_city_km[d] = dist;

      const double s = t.number(r, c_shia);
      if (!(s >= 0.0 && s <= 1.0)) t.fail(r, c_shia, fmt::format("must be a level in 0..1, got {}", s));
      (void)t.required_text(r, c_ssrc);
      g_.shia_presence[d] = s;
    }
    for (std::size_t d = 0; d < n; ++d)
      if (row_of[d] == t.rows())
        throw DataError(t.label(), 0, "district_id",
                        fmt::format("district '{}' ({}) has no row: every gazetteer unit needs one", g_.district_id[d],
                                    gazetteer_[d].label));
  }

  void read_adjacency() {
    auto t = CsvTable::read(
        file("afpak_district_adjacency.csv"),
        {"district_id_a", "district_id_b", "country_a", "country_b", "cross_border", "overlap_km2_of_1km_buffers"});
    const std::size_t col_id[2] = {t.column("district_id_a"), t.column("district_id_b")};
    const std::size_t col_country[2] = {t.column("country_a"), t.column("country_b")};
    const auto c_cross = t.column("cross_border"), c_overlap = t.column("overlap_km2_of_1km_buffers");

    struct Pair {
      DistrictIndex a, b;
      std::uint8_t cross;
      float overlap;
      std::size_t row;
    };
    std::vector<Pair> pairs;
    pairs.reserve(t.rows());
    std::map<std::pair<DistrictIndex, DistrictIndex>, std::size_t> seen;  // unordered pair -> row
    for (std::size_t r = 0; r < t.rows(); ++r) {
      DistrictIndex ends[2];
      for (int k = 0; k < 2; ++k) {
        const auto id = t.required_text(r, col_id[k]);
        auto d = g_.find(id);
        if (!d) t.fail(r, col_id[k], fmt::format("unknown district id '{}'", id));
        ends[k] = *d;
        const auto cname = t.text(r, col_country[k]);
        if (cname != country_name(g_.country[*d]))
          t.fail(r, col_country[k],
                 fmt::format("'{}' is in {} according to the gazetteer, not '{}'", id, country_name(g_.country[*d]),
                             cname));
      }
      if (ends[0] == ends[1])
        t.fail(r, col_id[1], fmt::format("self adjacency: '{}' listed as its own neighbour", g_.district_id[ends[0]]));
      const auto cross = t.integer(r, c_cross);
      if (cross != 0 && cross != 1) t.fail(r, c_cross, fmt::format("must be 0 or 1, got {}", cross));
      const bool differs = g_.country[ends[0]] != g_.country[ends[1]];
      if ((cross == 1) != differs)
        t.fail(
            r, c_cross,
            fmt::format("is {} but the two districts are in {} countries", cross, differs ? "different" : "the same"));
      const double overlap = t.number(r, c_overlap);
      if (overlap < 0) t.fail(r, c_overlap, fmt::format("must be >= 0, got {}", overlap));

      const auto key = std::minmax(ends[0], ends[1]);
      if (auto it = seen.find(key); it != seen.end()) {
        const auto& first = pairs[it->second];
        const bool reversed = first.a != ends[0];
        const bool same = first.cross == cross && first.overlap == static_cast<float>(overlap);
        t.fail_row(r, fmt::format("{}pair {} - {} already listed on line {}{}",
                                  reversed && !same ? "asymmetric adjacency: " : "duplicate ", t.text(r, col_id[0]),
                                  t.text(r, col_id[1]), t.line(first.row),
                                  reversed && !same ? " in the other direction with different attributes" : ""));
      }
      seen.emplace(key, pairs.size());
      pairs.push_back({ends[0], ends[1], static_cast<std::uint8_t>(cross), static_cast<float>(overlap), r});
    }

    // Compressed sparse rows, both directions, neighbours sorted by index.
    const std::size_t n = g_.size();
    std::vector<std::uint32_t> degree(n, 0);
    for (const auto& p : pairs) ++degree[p.a], ++degree[p.b];
    g_.adjacency_offset.assign(n + 1, 0);
    for (std::size_t d = 0; d < n; ++d) g_.adjacency_offset[d + 1] = g_.adjacency_offset[d] + degree[d];
    struct Half {
      DistrictIndex from, to;
      std::uint8_t cross;
      float overlap;
    };
    std::vector<Half> halves;
    halves.reserve(2 * pairs.size());
    for (const auto& p : pairs) {
      halves.push_back({p.a, p.b, p.cross, p.overlap});
      halves.push_back({p.b, p.a, p.cross, p.overlap});
    }
    std::sort(halves.begin(), halves.end(),
              [](const Half& x, const Half& y) { return x.from != y.from ? x.from < y.from : x.to < y.to; });
    for (const auto& h : halves) {
      g_.adjacency_target.push_back(h.to);
      g_.adjacency_cross_border.push_back(h.cross);
      g_.adjacency_shared_border_km2.push_back(h.overlap);
    }
    g_.pair_count = pairs.size();
    g_.cross_border_pair_count =
        static_cast<std::size_t>(std::count_if(pairs.begin(), pairs.end(), [](const Pair& p) { return p.cross; }));

    // Each gazetteer row states its number of neighbours: it must agree with the pair list.
    for (std::size_t d = 0; d < n; ++d)
      if (static_cast<std::int64_t>(degree[d]) != gazetteer_[d].n_neighbors)
        throw DataError(gazetteer_[d].label, gazetteer_[d].line, "n_neighbors",
                        fmt::format("district '{}' states {} neighbours but {} lists {}", g_.district_id[d],
                                    gazetteer_[d].n_neighbors, t.label(), degree[d]));
  }

  void index_provinces_and_countries() {
    const std::size_t np = g_.province_name.size();
    g_.province_offset.assign(np + 1, 0);
    for (auto p : g_.province) ++g_.province_offset[p + 1u];
    std::partial_sum(g_.province_offset.begin(), g_.province_offset.end(), g_.province_offset.begin());
    g_.province_districts.resize(g_.size());
    std::vector<std::uint32_t> fill(g_.province_offset.begin(), g_.province_offset.end() - 1);
    for (DistrictIndex d = 0; d < g_.size(); ++d) {
      g_.province_districts[fill[g_.province[d]]++] = d;
      g_.country_districts[static_cast<std::size_t>(g_.country[d])].push_back(d);
    }
  }

  std::filesystem::path dir_;
  Geography g_;
  std::vector<double> city_lat_, city_lon_;  // parallel to g_.city_name
  std::vector<GazetteerRow> gazetteer_;
  std::map<std::pair<Country, std::string>, ProvinceIndex> province_lookup_;
};

}  // namespace

Geography load_geography(const std::filesystem::path& data_dir) { return GeographyBuilder(data_dir).build(); }

}  // namespace iskabm
