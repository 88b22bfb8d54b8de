#pragma once
// An output directory written whole (`export`, `report`): files go into a sibling staging
// directory, which replaces the target only when everything in it is written. A failure or an
// interruption leaves the previous directory (if any) untouched and no staging directory behind.
#include <filesystem>
#include <memory>

#include "base/output_lock.hpp"

namespace iskabm {

class StagedDirectory {
 public:
  // Takes the target's lock (BusyError if another process writes it) and creates
  // "<target>.tmp-<pid>" beside `target` (IoError if it cannot).
  explicit StagedDirectory(std::filesystem::path target);
  ~StagedDirectory();  // removes the staging directory unless committed
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return staging_; }
  [[nodiscard]] const std::filesystem::path& target() const noexcept { return target_; }
  // Syncs the staged files and moves them into place: an existing target directory is moved
  // aside, the staging directory renamed to the target, then the old one removed. A target that
  // exists and is not a directory is an IoError.
  void commit();

 private:
  std::filesystem::path target_, staging_;
  std::unique_ptr<OutputLock> lock_;
  bool committed_ = false;
};

}  // namespace iskabm
