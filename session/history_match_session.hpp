#pragma once
// A history-matching session (issue 18): the spec loaded as every calibration path loads it
// (calibration/loaded_calibration.hpp), its [history_match] table (or the defaults) with any
// command-line overrides, and the result file as checkpoint: rewritten after every wave, and
// continued when it holds the waves of the same history match (a history match is deterministic,
// so continuing it is the same as starting afresh, only quicker). Under an MPI launcher rank 0
// matches and writes while the other ranks simulate, as in `calibrate`. Used by
// `iskabm history-match` and by `iskabm calibrate`, whose ABC-SMC it bounds.
#include <atomic>
#include <filesystem>
#include <string>

#include "calibration/history_match_file.hpp"
#include "calibration/loaded_calibration.hpp"

namespace iskabm {

struct HistoryMatchRequest {
  std::filesystem::path spec;
  std::filesystem::path output;  // empty: results/<spec name>_history_match.h5
  int threads = 0;               // 0: all cores
  // Overrides of the spec's [history_match] table (0 or below: the table's, or its defaults).
  std::size_t waves = 0, points = 0, replicates = 0;
  double cutoff = 0;
};

struct HistoryMatchOutcome {
  int exit_code = 0;
  bool worker = false;  // an MPI worker rank: it wrote nothing and has nothing to print
  bool interrupted = false;
  std::filesystem::path output;
  HistoryMatchRecord record;
};

// results/<spec name>_history_match.h5
[[nodiscard]] std::filesystem::path default_history_match_path(const std::filesystem::path& spec);

[[nodiscard]] HistoryMatchOutcome run_history_match_session(const std::filesystem::path& data_dir,
                                                            const HistoryMatchRequest& request);

// Runs the history match of `cal` under `h`, or continues the one in `output` if it is the same
// (fingerprint), writing `output` after every wave. `history` is the command recorded in the file;
// `batch` simulates on MPI worker ranks (the same result).
[[nodiscard]] HistoryMatchRecord match_history(const Geography& geo, const LoadedCalibration& cal,
                                               const HistoryMatchSpec& h, const std::filesystem::path& output,
                                               const std::string& history, const std::atomic<bool>* stop,
                                               const RunBatchSimulator& batch = {});

// The priors of `cal` bounded by a finished history match of the same calibration; a DataError
// naming the file if it is of another calibration, unfinished, or found nothing non-implausible.
// ABC-SMC then starts from the history match's non-implausible points
// (HistoryMatchRecord::non_implausible_values).
[[nodiscard]] std::vector<Prior> priors_bounded_by(const LoadedCalibration& cal, const HistoryMatchRecord& r,
                                                   const std::filesystem::path& file);

}  // namespace iskabm
