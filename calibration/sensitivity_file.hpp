#pragma once
// The result file of `iskabm sensitivity` (netCDF-4/HDF5, opened by xarray or h5py without help):
// the indices over (parameter, output), the design (point, parameter) and the outputs at each
// point (point, output), with the study's settings as attributes. Written whole to <path>.tmp and
// renamed, so the file at <path> is always complete. It is also the checkpoint: while the study
// runs (status "running", or "interrupted" after a stop) it holds the design and the outputs of
// the first `points_complete` points (NaN after them) and no indices; `--resume` continues it.
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/sensitivity_study.hpp"

namespace iskabm {

struct SensitivityFileInfo {
  std::string title, history, spec_toml;
  std::string fingerprint;  // what a resumed study must share (spec, scenarios, design settings, version)
  std::string status;       // "running", "interrupted", "finished"
};

// `study.outputs` may hold fewer rows than the design (a checkpoint); indices are written only
// when the study has them.
void write_sensitivity_file(const std::filesystem::path& path, const SensitivityStudy& study,
                            const SensitivityFileInfo& info);

struct SensitivityCheckpoint {
  std::string fingerprint, status;
  std::vector<std::vector<double>> outputs;  // of the complete points, in design order
};
// Throws IoError / DataError naming the file.
[[nodiscard]] SensitivityCheckpoint read_sensitivity_checkpoint(const std::filesystem::path& path);

}  // namespace iskabm
