#pragma once
// Everything the bundled data directory holds, loaded and cross-validated in one call.
#include <filesystem>

#include "io/district_polygons.hpp"
#include "io/observed_aggregates.hpp"
#include "io/observed_events.hpp"
#include "io/published_figures.hpp"
#include "model/geography.hpp"

namespace iskabm {

struct ObservedData {
  std::filesystem::path directory;
  Geography geography;
  ObservedEvents events;
  ObservedAggregates aggregates;
  PublishedFigures figures;
  PolygonSummary polygons;
};

// Throws DataError / IoError on the first problem found (file, line, column).
[[nodiscard]] ObservedData load_observed_data(const std::filesystem::path& data_dir);

}  // namespace iskabm
