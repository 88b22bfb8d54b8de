#pragma once
// `iskabm merge`: result files holding parts of one ensemble (the shards of `run --shard K/N`,
// or plain runs of adjacent `--first-replicate`/`--replicates` ranges) joined along `replicate`
// into the file the single run of the whole range writes, byte for byte (docs/cluster.md).
// Every input is checked first (complete, the same scenario, seed, posterior and program, tiling
// the range without gaps or overlaps); the stored replicates are then replayed in order into a
// RunFileWriter with the whole run's metadata, so the output appears whole at its path or not at
// all.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/observed_data.hpp"

namespace iskabm {

class RunMerge {
 public:
  // Opens and checks every input: IoError (exit 74) for an unreadable, truncated or incomplete
  // file, DataError (exit 65) naming the files for inputs that do not belong together or do not
  // tile one range. `data` must be the data the runs used (their districts and observed record);
  // `default_parameters` reads the stored scenario back.
  RunMerge(std::vector<std::filesystem::path> inputs, const ObservedData& data,
           std::filesystem::path default_parameters);
  ~RunMerge();
  RunMerge(const RunMerge&) = delete;
  RunMerge& operator=(const RunMerge&) = delete;

  [[nodiscard]] std::uint64_t first_replicate() const;
  [[nodiscard]] std::uint64_t replicates() const;
  [[nodiscard]] const std::string& history() const;  // the merged file's: the whole run's command
  [[nodiscard]] const std::vector<std::filesystem::path>& inputs_in_order() const;

  // Writes the merged file (as <output>.tmp, renamed when whole). `progress` is called with the
  // number of replicates written so far. Returns false, leaving nothing behind, when `stop` was set.
  bool write(const std::filesystem::path& output, const std::atomic<bool>* stop = nullptr,
             const std::function<void(std::uint64_t)>& progress = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iskabm
