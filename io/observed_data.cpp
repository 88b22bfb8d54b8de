#include "io/observed_data.hpp"

#include <fmt/format.h>

#include "base/errors.hpp"
#include "io/geography_loader.hpp"

namespace iskabm {

ObservedData load_observed_data(const std::filesystem::path& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec))
    throw IoError(fmt::format("{}: data directory not found", data_dir.string()));
  ObservedData d;
  d.directory = data_dir;
  d.geography = load_geography(data_dir);
  d.events = load_observed_events(data_dir, d.geography);
  d.aggregates = load_observed_aggregates(data_dir, d.geography, d.events);
  d.figures = load_published_figures(data_dir);
  d.polygons = check_district_polygons(data_dir, d.geography);
  return d;
}

}  // namespace iskabm
