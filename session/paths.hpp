#pragma once
// Where the program finds its inputs when the user names none.
#include <filesystem>
#include <string_view>

namespace iskabm {

// The data directory: `option` (--data) if given, then $ISKABM_DATA_DIR, then the bundled one.
[[nodiscard]] std::filesystem::path data_directory(std::string_view option);
// The bundled default scenario and parameter defaults.
[[nodiscard]] std::filesystem::path default_config_path();
[[nodiscard]] std::filesystem::path default_parameters_path();
// The shipped default calibration spec (calibration/default.toml).
[[nodiscard]] std::filesystem::path default_calibration_spec_path();

}  // namespace iskabm
