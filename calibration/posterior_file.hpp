#pragma once
// The output of `iskabm calibrate`: one HDF5 file (netCDF-4 compatible at its root, so
// xarray.open_dataset reads the posterior directly; each generation in its own group). It is
// rewritten whole after every generation (as <path>.tmp, fsync, rename), so the file at <path> is
// always complete and is also the checkpoint: every generation in it is complete (its
// `complete` attribute is written last), and `--resume` continues after the last one. Layout:
// docs/calibration.md.
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/posterior.hpp"

namespace iskabm {

struct CalibrationRecord {
  std::string title;
  std::string history;        // the canonical command
  std::string spec_toml;      // the calibration spec's text
  std::string scenario_toml;  // the resolved scenario
  std::string fingerprint;    // what must not change for --resume to continue (see calibrate)
  std::string status;         // "running" (a checkpoint), "finished", "interrupted"
  std::string stop_reason;    // to_string(AbcStop), empty while running
  std::vector<std::string> parameter_keys, parameter_units;
  std::vector<Prior> priors;
  std::vector<std::string> statistic_names;
  std::vector<double> observed, statistic_weights;
  std::vector<Generation> generations;  // complete generations only
  std::uint64_t seed = 0;

  // Summaries of the last generation (empty without generations).
  [[nodiscard]] std::vector<ParameterSummary> summary() const;
};

void write_posterior_file(const std::filesystem::path& path, const CalibrationRecord& r);
// Reads a posterior file; generations not marked complete are ignored. Throws DataError /
// IoError naming the file.
[[nodiscard]] CalibrationRecord read_posterior_file(const std::filesystem::path& path);
// The posterior particles as a small text file (CSV), to ship with the project: comment lines
// (`# title: ...`, `# history: ...`, `# fingerprint: <64-bit hash>`), then a header
// `weight,<parameter keys>` and one row per particle, numbers in shortest round-trip form.
void write_posterior_particles(const std::filesystem::path& path, const CalibrationRecord& r);
// A stable 64-bit hash (FNV-1a, hex) of a calibration fingerprint, as stored in the CSV.
[[nodiscard]] std::string fingerprint_hash(const std::string& fingerprint);

// The last generation of a posterior file (HDF5 of `calibrate`, or its particles CSV: by the
// `.csv` extension) as draws for a run; an unknown parameter key, or a
// file without a complete generation, is a DataError naming the file.
[[nodiscard]] PosteriorDraw read_posterior_draw(const std::filesystem::path& path);

}  // namespace iskabm
