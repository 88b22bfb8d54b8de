#include "model/geography.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "base/errors.hpp"

namespace iskabm {

std::string_view country_name(Country c) noexcept { return c == Country::afghanistan ? "Afghanistan" : "Pakistan"; }

std::optional<Country> parse_country(std::string_view name) noexcept {
  if (name == "Afghanistan") return Country::afghanistan;
  if (name == "Pakistan") return Country::pakistan;
  return std::nullopt;
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
