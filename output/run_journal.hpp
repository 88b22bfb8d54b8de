#pragma once
// The checkpoint of a run: an append-only journal (<output>.journal) of the replicates already
// written, each record checksummed and synced to disk before the next one starts. An HDF5 file
// killed in the middle of an update may be unreadable however often it was flushed (its metadata
// cache writes when it likes); the journal is never more than one record torn, so --resume reads
// the intact records back, replays them into a fresh file (byte-identical to an uninterrupted
// run) and continues.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "output/run_file.hpp"

namespace iskabm {

class RunJournal {
 public:
  // Creates (truncates) the journal for a run identified by `identity`.
  RunJournal(std::filesystem::path path, const std::string& identity);
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  // Reads an existing journal: calls `replay` for each intact record in order, drops a torn tail,
  // and reopens the journal for appending. Throws UsageError if it belongs to another run and
  // IoError if it cannot be read. Returns the number of records replayed.
  static std::uint64_t recover(const std::filesystem::path& path, const std::string& identity,
                               const std::function<void(PreparedReplicate&&)>& replay,
                               std::unique_ptr<RunJournal>& reopened);

  // Written before it returns (a killed process loses nothing); synced to disk when a second has
  // passed since the last sync, and by sync().
  void append(const PreparedReplicate& p);
  void sync();    // make everything appended durable (called when a run stops early)
  void remove();  // the run is complete: the journal goes

 private:
  RunJournal() = default;
  std::filesystem::path path_;
  int fd_ = -1;
  std::chrono::steady_clock::time_point last_sync_{};
};

}  // namespace iskabm
