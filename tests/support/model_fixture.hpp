#pragma once
// Shared fixtures for model tests: the bundled geography (loaded once) and configurations built
// from the bundled defaults, a file in tests/fixtures, or text written to a temporary file.
#include <filesystem>
#include <fstream>
#include <string>

#include "config/scenario_loader.hpp"
#include "io/geography_loader.hpp"
#include "model/geography.hpp"
#include "model/model_config.hpp"
#include "model/world.hpp"
#include "support/data_copy.hpp"

namespace iskabm::test {

inline const std::filesystem::path source_dir = ISKABM_SOURCE_DIR;
inline const std::filesystem::path default_parameters = source_dir / "parameters" / "defaults.toml";
inline const std::filesystem::path baseline_config = source_dir / "scenarios" / "baseline_2015_2018.toml";
inline const std::filesystem::path small_config = source_dir / "tests" / "fixtures" / "small_config.toml";

inline const Geography& bundled_geography() {
  static const Geography g = load_geography(bundled_data_dir());
  return g;
}

inline ModelConfig config_from_file(const std::filesystem::path& file) {
  return load_model_config(file, bundled_geography(), default_parameters);
}

inline ModelConfig config_from_text(const std::string& text) {
  TempDir dir;
  const auto file = dir.path() / "config.toml";
  std::ofstream(file) << text;
  return config_from_file(file);
}

inline World world_from(ModelConfig c) { return make_world(bundled_geography(), std::move(c)); }

}  // namespace iskabm::test
