#pragma once
// The district map of Afghanistan (398 districts, 2014 boundaries) and Pakistan (148 units of the
// pre-2018 layout): the space the model's cells live in. Immutable once loaded; shared by all
// replicates. Districts are addressed by a dense index 0..size()-1 (Afghan units first, in file
// order, then Pakistani units); the string id (AFG-001, PAK15-001) is the stable external key.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iskabm {

enum class Country : std::uint8_t { afghanistan = 0, pakistan = 1 };
inline constexpr std::size_t country_count = 2;
[[nodiscard]] std::string_view country_name(Country c) noexcept;  // "Afghanistan"
[[nodiscard]] std::optional<Country> parse_country(std::string_view name) noexcept;

using DistrictIndex = std::uint32_t;
using ProvinceIndex = std::uint16_t;

struct Geography;

// Great-circle distance between two district centroids (haversine, R = 6371 km).
[[nodiscard]] double centroid_distance_km(const Geography& g, DistrictIndex a, DistrictIndex b) noexcept;

// The distances to a district from every district, computed once per geography and kept
// (Geography::distances_to). A World is built for every replicate of a posterior-driven run and
// every simulation of a calibration, and its carrying capacity and urban network need these
// distances: computed afresh, their trigonometry cost a tenth of a replicate.
struct DistanceCache {
  std::mutex mutex;
  std::vector<std::shared_ptr<const std::vector<double>>> to;  // per district; null until asked for
};

struct Geography {
  // --- districts (struct of arrays, one entry per district) ---
  std::vector<std::string> district_id;    // "AFG-001", "PAK15-132"
  std::vector<std::string> district_name;  // gazetteer spelling ("Acheen" = Achin)
  std::vector<Country> country;
  std::vector<ProvinceIndex> province;
  std::vector<double> area_km2;
  std::vector<double> population;  // persons; NaN where no source gives it
  std::vector<double> centroid_lat, centroid_lon;
  std::vector<std::uint8_t> unit_status;  // Pakistan: 0 district, 1 FATA agency, 2 Frontier Region; AFG: 0

  // --- district covariates (data/covariates/district_covariates.csv; docs/data.md says where
  // each comes from). NaN where no source gives a value; the model treats NaN as documented in
  // docs/ODD.md (a neutral default), never as zero. ---
  std::vector<double> urban_share;           // 0..1: share of the population living in a city or town
  std::vector<double> distance_to_city_km;   // great-circle km from the centroid to the nearest major city
  std::vector<std::int16_t> nearest_city;    // index into city_name of that city (-1 if none)
  std::vector<double> shia_presence;         // 0..1: presence of Shia (Hazara, Turi, ...) communities
  std::vector<std::string> city_name;        // the major cities distances are measured to
  std::vector<DistrictIndex> city_district;  // the district each major city lies in

  // --- adjacency: undirected, stored both ways as compressed sparse rows ---
  // Neighbours of d are adjacency_target[adjacency_offset[d] .. adjacency_offset[d+1]).
  std::vector<std::uint32_t> adjacency_offset;       // size() + 1
  std::vector<DistrictIndex> adjacency_target;       // 2 × pair_count
  std::vector<std::uint8_t> adjacency_cross_border;  // parallel to adjacency_target
  std::vector<float> adjacency_shared_border_km2;    // overlap of 1 km buffers: shared-border proxy
  std::size_t pair_count = 0;
  std::size_t cross_border_pair_count = 0;

  // --- provinces (admin-1 units) and country indexes ---
  std::vector<std::string> province_name;
  std::vector<Country> province_country;
  std::vector<std::uint32_t> province_offset;  // CSR: districts of province p
  std::vector<DistrictIndex> province_districts;
  std::vector<DistrictIndex> country_districts[country_count];

  std::unordered_map<std::string, DistrictIndex> index_of_id;

  [[nodiscard]] std::size_t size() const noexcept { return district_id.size(); }
  [[nodiscard]] std::size_t province_count() const noexcept { return province_name.size(); }
  [[nodiscard]] std::span<const DistrictIndex> neighbours(DistrictIndex d) const noexcept {
    return {adjacency_target.data() + adjacency_offset[d], adjacency_offset[d + 1] - adjacency_offset[d]};
  }
  [[nodiscard]] std::span<const DistrictIndex> districts_of_province(ProvinceIndex p) const noexcept {
    return {province_districts.data() + province_offset[p], province_offset[p + 1] - province_offset[p]};
  }
  [[nodiscard]] bool is_border_district(DistrictIndex d) const noexcept;
  [[nodiscard]] std::optional<DistrictIndex> find(std::string_view id) const;
  [[nodiscard]] std::optional<ProvinceIndex> find_province(std::string_view name) const;
  [[nodiscard]] bool has_population(DistrictIndex d) const noexcept { return !std::isnan(population[d]); }
  // centroid_distance_km(*this, d, b) for every district d, bit for bit, computed on the first
  // call for b and kept (thread-safe; each call takes a lock: fetch a row once, not per district).
  // Copies of a geography share what was computed (their centroids are the same): centroids must
  // not change after the first call, and code that changes a copy's districts or centroids gives
  // it a fresh `distance_cache`. Valid as long as the geography (or a copy) lives.
  [[nodiscard]] std::span<const double> distances_to(DistrictIndex b) const;

  std::shared_ptr<DistanceCache> distance_cache = std::make_shared<DistanceCache>();
};

}  // namespace iskabm
