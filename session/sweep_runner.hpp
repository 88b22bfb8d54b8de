#pragma once
// A sweep run through PlannedRun: its variants' scenarios generated and checked (all problems
// reported, nothing runs when one fails), the variants run one after another (restartable: a
// complete result is skipped, an interrupted one resumed), and the summary collected: medians,
// 90 % intervals and paired differences against the reference (docs/cluster.md).
#include <cstdint>
#include <filesystem>
#include <optional>
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
  // Replicates added in whole chunks (of `replicates`) until every headline difference is known to
  // `precision` % of the reference's median (Monte Carlo error); 0: one run of `replicates`.
  double precision = 0;
  std::vector<std::string> precision_metrics;  // empty: headline_metrics()
  std::uint64_t max_replicates = 0;            // with precision: the most per variant (0: 20 chunks)
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
  // when stopped: the same command continues). A variant whose file holds the first replicates of
  // the same run is extended (the missing replicates run into <name>.from-K.h5, then merged), so
  // its file is byte for byte the one a single run of all the replicates writes. With
  // request.precision, runs every variant in whole chunks until precise (or at the maximum).
  [[nodiscard]] int run();
  // The replicates per variant the last run() reached.
  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }
  // The summary a run() with request.precision collected last (nullptr otherwise).
  [[nodiscard]] const SweepSummary* summary() const noexcept { return summary_ ? &*summary_ : nullptr; }
  // Writes summary.csv from the variants' result files (IoError when one is missing or stale).
  [[nodiscard]] SweepSummary collect() const;

 private:
  int run_variants();
  int run_to_precision();
  const ObservedData& data_;
  SweepRequest request_;
  Sweep sweep_;
  SweepLayout layout_;
  std::vector<SweepVariant> variants_;
  std::uint64_t replicates_ = 0;
  std::optional<SweepSummary> summary_;
};

// The rows of a sweep summary that a precision request judges (the focal metrics over the whole
// window, scopes all, Afghanistan and Pakistan; the differences when there is a reference, else
// the medians) whose Monte Carlo error exceeds `percent` % of the reference's (or own) median.
struct SweepShortfall {
  const SweepSummaryRow* row;
  double error, target;
  std::uint64_t replicates_needed;
};
[[nodiscard]] std::vector<SweepShortfall> sweep_precision_shortfalls(const std::vector<SweepSummaryRow>& rows,
                                                                     double percent,
                                                                     const std::vector<std::string>& metrics);

}  // namespace iskabm
