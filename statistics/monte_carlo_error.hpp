#pragma once
// Monte Carlo error of an ensemble's answers (docs/scenarios.md, "Monte Carlo error"): how far the
// median of R replicates (or of R paired what-if minus baseline differences) could move if the
// ensemble were run again with other replicates, estimated by the bootstrap over replicates, and
// how many replicates a requested precision needs.
//
// The bootstrap is deterministic: its resamples are drawn from a counter-based stream keyed by the
// number of replicates alone (Purpose::monte_carlo_error, seed 0), so the error of a set of values
// depends on those values and nothing else, and the baseline, the what-if and their differences are
// resampled jointly (the same replicates in every resample), which keeps the pairing.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace iskabm {

class ReplicateBootstrap {
 public:
  // Resamples of n replicates (n >= 2 for an error; fewer gives NaN errors).
  explicit ReplicateBootstrap(std::size_t replicates, std::size_t resamples = 200);

  [[nodiscard]] std::size_t replicates() const noexcept { return n_; }
  [[nodiscard]] std::size_t resamples() const noexcept { return b_; }

  // The bootstrap standard error of the median (quantile type 7) of `values` (one per replicate,
  // in replicate order; size must equal replicates()). NaN when there are fewer than 2 or any is
  // NaN; 0 when all are equal.
  [[nodiscard]] double median_error(std::span<const double> values) const;

 private:
  static constexpr std::size_t stored_limit = std::size_t{1} << 24;  // indices kept; beyond: drawn per call
  void draw(std::size_t resample, std::span<std::uint32_t> out) const;
  std::size_t n_, b_;
  std::vector<std::uint32_t> index_;  // b_ x n_ replicate indices (empty above stored_limit)
};

// The replicates needed to bring a standard error `error`, measured over `replicates`, down to
// `target` (the error shrinks as one over the square root of the replicates): at least
// `replicates`; 0 when the error is NaN or the target not positive.
[[nodiscard]] std::uint64_t replicates_for_precision(std::uint64_t replicates, double error, double target);

// The Monte Carlo error a precision of `percent` % allows for an answer on the scale of `scale`
// (a median; magnitudes below 1 count as 1, so a zero median still has a finite target).
[[nodiscard]] inline double precision_target(double percent, double scale) noexcept {
  return percent / 100.0 * std::max(1.0, std::abs(scale));
}

}  // namespace iskabm
