#pragma once
// The result file of `iskabm run`: netCDF-4-compatible HDF5 that xarray, netCDF tools and h5py
// open without options. Replicates are appended along the unlimited `replicate` dimension; the
// file is written as <path>.tmp, flushed after every replicate, and renamed into place only when
// complete, so a reader never sees a partial result at <path>. Layout: docs/output.md.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "model/recorder.hpp"
#include "model/world.hpp"

namespace iskabm {

struct RunMetadata {
  std::string command_line;   // recorded in the `history` attribute
  std::string config_text;    // the configuration file as read
  std::uint64_t seed = 0;
};

class RunFileWriter {
 public:
  RunFileWriter(const std::filesystem::path& path, const World& w, const RunMetadata& meta);
  ~RunFileWriter();  // an uncommitted file is closed and its .tmp removed
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  // Appends replicate `replicate`'s results and flushes the file.
  void append(std::uint64_t replicate, const Recorder& r);
  // Closes the file and renames <path>.tmp to <path>.
  void commit();

  [[nodiscard]] std::uint64_t replicates_written() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The resolved parameter values as TOML text (stored in every result file).
[[nodiscard]] std::string parameters_as_toml(const Parameters& p);

}  // namespace iskabm
