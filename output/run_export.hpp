#pragma once
// `iskabm export`: a result file of `iskabm run` as tidy long CSV tables for spreadsheet and R
// users (docs/export.md): one row per replicate x month x district x variable, per replicate x
// month x group x country x variable, per event, and per-replicate totals, statistics and
// parameters, plus lookup tables and the run's metadata.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace iskabm {

struct ExportOptions {
  // false: rows whose value is 0 are left out of the month tables (a missing row means 0), which
  // keeps a 100-replicate baseline at megabytes instead of gigabytes. true: every row.
  bool dense = false;
};

struct ExportedTable {
  std::string file;         // name inside the output directory
  std::size_t rows = 0;     // data rows (without the header)
  std::string description;  // one line, as printed and documented
};

struct ExportSummary {
  std::size_t replicates = 0;
  std::vector<ExportedTable> tables;
};

// Writes the tables into `directory` (which must exist; the caller stages it). The input must be
// a complete iskabm result file: an interrupted run's .tmp or another HDF5 file is an IoError.
[[nodiscard]] ExportSummary export_run_csv(const std::filesystem::path& run_file,
                                           const std::filesystem::path& directory, const ExportOptions& options = {});

}  // namespace iskabm
