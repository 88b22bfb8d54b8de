#pragma once
// The result file of `iskabm sensitivity` (netCDF-4/HDF5, opened by xarray or h5py without help):
// the indices over (parameter, output), the design (point, parameter) and the outputs at each
// point (point, output), with the study's settings as attributes. Written whole to <path>.tmp and
// renamed, so an interrupted study leaves no partial file.
#include <filesystem>
#include <string>

#include "calibration/sensitivity_study.hpp"

namespace iskabm {

void write_sensitivity_file(const std::filesystem::path& path, const SensitivityStudy& study, const std::string& title,
                            const std::string& history, const std::string& spec_toml);

}  // namespace iskabm
