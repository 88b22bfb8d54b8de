#pragma once
// The output of `iskabm history-match` (and of the pre-pass of `calibrate` for a spec with a
// [history_match] table): one HDF5 file, netCDF-4 at its root (the region, the waves' summary) with
// every wave in full in its own group (waves/wave_NN: design, parameter values, replicate means and
// variances, implausibilities). Rewritten whole after every wave (<path>.tmp, fsync, rename), so it
// is both the result and the checkpoint; a wave's `complete` attribute is written last. No wall
// times: the same history match gives the same bytes on any thread count. Layout:
// docs/calibration.md.
#include <filesystem>
#include <string>
#include <vector>

#include "calibration/history_matching.hpp"

namespace iskabm {

struct HistoryMatchRecord {
  std::string title, history, spec_toml;
  std::string fingerprint;  // the calibration's and the history match's settings (see history_match_fingerprint)
  std::string status;       // "running", "finished", "exhausted", "interrupted"
  HistoryMatchOptions options;
  std::vector<std::string> parameter_keys, statistic_names;
  std::vector<Prior> priors;  // the spec's, unbounded
  ImplausibilityTerms terms;
  std::vector<HistoryMatchWave> waves;  // complete ones

  // The region after the last wave: unit coordinates and the parameter values at them.
  [[nodiscard]] std::vector<double> lower() const;
  [[nodiscard]] std::vector<double> upper() const;
  // The parameter values of every wave's non-implausible points inside that region, the last
  // wave's first: prior draws restricted to the non-implausible set (ABC-SMC's generation 0).
  [[nodiscard]] std::vector<std::vector<double>> non_implausible_values() const;
};

void write_history_match_file(const std::filesystem::path& path, const HistoryMatchRecord& r);
// Throws IoError / DataError naming the file; waves not marked complete are left out.
[[nodiscard]] HistoryMatchRecord read_history_match_file(const std::filesystem::path& path);

}  // namespace iskabm
