#pragma once
// The lock of an output while it is being written: `<target>.lock`, held with flock(2) from before
// anything at or beside the target is created or truncated (its temporary file, its journal)
// until the output is in place or the run has stopped. A second process asked to write the same
// output is refused at once ("... is being written by another process"), so the first completes
// intact. Re-entrant within a process (a calibration holds its posterior's lock for the whole
// run while each generation's writer takes it again). The lock file is created with
// O_NOFOLLOW (a planted symbolic link is refused, never followed) and removed on release.
#include <filesystem>

namespace iskabm {

class OutputLock {
 public:
  // BusyError when another process holds the lock; IoError when the lock file cannot be created.
  // On a file system without flock(2) (some network file systems) the lock is skipped.
  explicit OutputLock(const std::filesystem::path& target);
  ~OutputLock();
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;

  // `<target>.lock`
  [[nodiscard]] static std::filesystem::path path_for(const std::filesystem::path& target);

 private:
  std::filesystem::path key_;
};

}  // namespace iskabm
