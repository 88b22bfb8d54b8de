#pragma once
// A sweep run through PlannedRun: its variants' scenarios generated and checked (all problems
// reported, nothing runs when one fails), the variants run one after another (restartable: a
// complete result is skipped, an interrupted one resumed), and the summary collected: medians,
// 90 % intervals and paired differences against the reference (docs/cluster.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/sweep.hpp"
#include "io/observed_data.hpp"

namespace iskabm {

struct SweepRequest {
  std::filesystem::path file;
  std::filesystem::path output;  // the sweep's directory; empty: results/<sweep file stem>
  std::uint64_t replicates = 0;  // 0: the sweep file's, else the scenario's
  int threads = 0;
  std::int64_t variant = -1;  // run only this one (0-based)
  bool no_progress = false;
};

// The files of a sweep's directory.
struct SweepLayout {
  std::filesystem::path dir, scenarios, runs;
  [[nodiscard]] std::filesystem::path scenario(const SweepVariant& v, const Sweep& s) const {
    return v.reference ? s.base() : scenarios / (v.name + ".toml");
  }
  [[nodiscard]] std::filesystem::path output(const SweepVariant& v) const { return runs / (v.name + ".h5"); }
};

struct SweepSummary {
  std::filesystem::path file;  // summary.csv
  std::vector<SweepSummaryRow> rows;
};

class SweepRunner {
 public:
  // Loads the sweep, writes its generated scenarios and checks every variant as `run` would
  // (DataError naming the sweep file's line; UsageError for a --variant out of range).
  SweepRunner(const ObservedData& data, SweepRequest request);

  [[nodiscard]] const Sweep& sweep() const noexcept { return sweep_; }
  [[nodiscard]] const std::vector<SweepVariant>& variants() const noexcept { return variants_; }
  [[nodiscard]] const SweepLayout& layout() const noexcept { return layout_; }

  // Runs the requested variants (all, or request.variant); returns the exit code (128 + signal
  // when stopped: the same command continues).
  [[nodiscard]] int run();
  // Writes summary.csv from the variants' result files (IoError when one is missing or stale).
  [[nodiscard]] SweepSummary collect() const;

 private:
  const ObservedData& data_;
  SweepRequest request_;
  Sweep sweep_;
  SweepLayout layout_;
  std::vector<SweepVariant> variants_;
};

}  // namespace iskabm
