#pragma once
// The simplified district polygons (data/gazetteer/afpak_districts_2015.geojson) are drawn by the
// report tools, not used by the simulation; this check makes sure they match the gazetteer.
#include <cstddef>
#include <filesystem>

#include "model/geography.hpp"

namespace iskabm {

struct PolygonSummary {
  std::size_t features = 0;
  std::size_t rings = 0;
};

// Every feature must carry a known district_id (once) with its gazetteer country, and a Polygon or
// MultiPolygon geometry; every district must have a feature. Throws DataError naming the feature.
[[nodiscard]] PolygonSummary check_district_polygons(const std::filesystem::path& data_dir, const Geography& geo);

}  // namespace iskabm
