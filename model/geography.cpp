#include "model/geography.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "base/errors.hpp"

namespace iskabm {

std::string_view country_name(Country c) noexcept { return c == Country::afghanistan ? "Afghanistan" : "Pakistan"; }

std::optional<Country> parse_country(std::string_view name) noexcept {
  if (name == "Afghanistan") return Country::afghanistan;
  if (name == "Pakistan") return Country::pakistan;
  return std::nullopt;
}

double centroid_distance_km(const Geography& g, DistrictIndex a, DistrictIndex b) noexcept {
  constexpr double radians = 3.14159265358979323846 / 180.0, earth_radius_km = 6371.0;
  const double la1 = g.centroid_lat[a] * radians, la2 = g.centroid_lat[b] * radians;
  const double dla = la2 - la1, dlo = (g.centroid_lon[b] - g.centroid_lon[a]) * radians;
  const double h =
      std::sin(dla / 2) * std::sin(dla / 2) + std::cos(la1) * std::cos(la2) * std::sin(dlo / 2) * std::sin(dlo / 2);
  return 2.0 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

std::span<const double> Geography::distances_to(DistrictIndex b) const {
  if (!distance_cache) throw std::logic_error("Geography::distances_to: a moved-from geography");
  auto& cache = *distance_cache;
  const std::lock_guard lock(cache.mutex);
  if (cache.to.empty()) cache.to.assign(size(), nullptr);
  if (cache.to.size() != size())  // a copy changed after it shared the cache: see the header
    throw std::logic_error("Geography::distances_to: the distance cache belongs to another geography");
  auto& row = cache.to.at(b);
  if (!row) {
    auto r = std::make_shared<std::vector<double>>(size());
    for (DistrictIndex d = 0; d < size(); ++d) (*r)[d] = centroid_distance_km(*this, d, b);
    row = std::move(r);
  }
  return *row;
}

bool Geography::is_border_district(DistrictIndex d) const noexcept {
  for (auto k = adjacency_offset[d]; k < adjacency_offset[d + 1]; ++k)
    if (adjacency_cross_border[k]) return true;
  return false;
}

std::optional<DistrictIndex> Geography::find(std::string_view id) const {
  auto it = index_of_id.find(std::string(id));
  if (it == index_of_id.end()) return std::nullopt;
  return it->second;
}

std::optional<ProvinceIndex> Geography::find_province(std::string_view name) const {
  auto it = std::find(province_name.begin(), province_name.end(), name);
  if (it == province_name.end()) return std::nullopt;
  return static_cast<ProvinceIndex>(it - province_name.begin());
}

}  // namespace iskabm
