#pragma once
// The district map read from the bundled gazetteer (data/gazetteer/).
#include <filesystem>

#include "model/geography.hpp"

namespace iskabm {

// Loads and validates <data_dir>/gazetteer/{afg_districts,pak_districts_2015,pak_districts_2022_ocha,
// afpak_district_adjacency}.csv. Throws DataError (file, line, column) on any inconsistency and
// IoError when a file cannot be read. Pakistani populations are the 2017-census attributes of the
// 2022 OCHA districts summed over the crosswalk; a unit with any part unknown stays NaN.
[[nodiscard]] Geography load_geography(const std::filesystem::path& data_dir);

}  // namespace iskabm
