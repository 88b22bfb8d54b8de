#include "io/district_polygons.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "base/errors.hpp"
#include "base/text_file.hpp"

namespace iskabm {

PolygonSummary check_district_polygons(const std::filesystem::path& data_dir, const Geography& geo) {
  const auto path = data_dir / "gazetteer" / "afpak_districts_2015.geojson";
  const auto label = path.string();
  const auto text = read_text_file(path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(label, 0, "", fmt::format("invalid JSON at byte {}: {}", e.byte, e.what()));
  }
  if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" || !doc.contains("features") ||
      !doc["features"].is_array())
    throw DataError(label, 0, "type", "expected a GeoJSON FeatureCollection with a 'features' array");

  PolygonSummary summary;
  std::vector<std::size_t> feature_of(geo.size(), SIZE_MAX);
  const auto& features = doc["features"];
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    const auto field = [i](const char* key) { return fmt::format("features[{}].{}", i, key); };
    if (!f.is_object() || !f.contains("properties") || !f["properties"].is_object())
      throw DataError(label, 0, field("properties"), "missing");
    const auto& props = f["properties"];
    if (!props.contains("district_id") || !props["district_id"].is_string())
      throw DataError(label, 0, field("properties.district_id"), "missing or not a string");
    const auto id = props["district_id"].get<std::string>();
    auto d = geo.find(id);
    if (!d) throw DataError(label, 0, field("properties.district_id"), fmt::format("unknown district id '{}'", id));
    if (feature_of[*d] != SIZE_MAX)
      throw DataError(label, 0, field("properties.district_id"),
                      fmt::format("district '{}' already has features[{}]", id, feature_of[*d]));
    feature_of[*d] = i;
    if (props.value("country", "") != country_name(geo.country[*d]))
      throw DataError(label, 0, field("properties.country"),
                      fmt::format("'{}' is in {} according to the gazetteer", id, country_name(geo.country[*d])));
    const auto& g = f.contains("geometry") ? f["geometry"] : nlohmann::json();
    const auto type = g.is_object() ? g.value("type", "") : "";
    if ((type != "Polygon" && type != "MultiPolygon") || !g.contains("coordinates") || !g["coordinates"].is_array() ||
        g["coordinates"].empty())
      throw DataError(label, 0, field("geometry"), fmt::format("'{}' needs a non-empty Polygon or MultiPolygon", id));
    if (type == "Polygon") {
      summary.rings += g["coordinates"].size();
    } else {
      for (const auto& poly : g["coordinates"]) summary.rings += poly.size();
    }
    ++summary.features;
  }
  for (DistrictIndex d = 0; d < geo.size(); ++d)
    if (feature_of[d] == SIZE_MAX)
      throw DataError(label, 0, "features", fmt::format("no polygon for district '{}'", geo.district_id[d]));
  return summary;
}

}  // namespace iskabm
