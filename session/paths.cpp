#include "session/paths.hpp"

#include <cstdlib>

#include "iskabm/build_info.hpp"

namespace iskabm {

std::filesystem::path data_directory(std::string_view option) {
  if (!option.empty()) return std::filesystem::path(option);
  if (const char* env = std::getenv("ISKABM_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::is_directory(build_info::default_data_dir, ec)) return build_info::default_data_dir;
  return "data";
}

std::filesystem::path default_config_path() {
  return std::filesystem::path(build_info::source_dir) / "scenarios" / "baseline_2015_2018.toml";
}
std::filesystem::path default_parameters_path() {
  return std::filesystem::path(build_info::source_dir) / "parameters" / "defaults.toml";
}

std::filesystem::path default_calibration_spec_path() {
  return std::filesystem::path(build_info::source_dir) / "calibration" / "default.toml";
}

}  // namespace iskabm
