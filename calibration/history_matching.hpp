#pragma once
// History matching (Craig et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015 for
// stochastic models): before ABC-SMC spends its simulations, rule out the parts of the prior where
// the model cannot match the record, whatever the noise.
//
// Each wave simulates a space-filling design (a randomly shifted Sobol' sequence) over the current
// box, a few replicates per point, and computes per statistic j the implausibility
//   I_j(x) = |z_j - mean_j(x)| / sqrt(V_obs,j + V_md,j + s_j(x)^2 (1 + 1/n_j(x)))
// with z_j the observed value, mean_j and s_j^2 the mean and variance of the n_j replicates that
// define it, V_obs the declared observation variance and V_md the declared model-discrepancy
// variance. s^2 (1 + 1/n) is the variance of a new replicate about the ensemble mean: the record
// is one realisation of a stochastic model, so its noise is the model's own. A point is
// non-implausible when the k-th largest I_j is at most the cut-off (3 by Pukelsheim's three-sigma
// rule; k = 1, 2 or 3: with dozens of statistics, the second or third largest keeps one unlucky
// statistic from ruling out a good point, as Vernon et al. do). The next wave's box is the
// bounding box of the non-implausible points, widened by a margin on each side and kept inside the
// current box; a wave with fewer non-implausible points than parameters + 1 keeps the box (so
// few points cannot bound the region in every direction). The region after the last wave bounds
// ABC-SMC (Prior::truncated).
//
// No emulator: the model is cheap enough (milliseconds per simulated year) that the waves simulate
// it directly ("simulation ensembles"), and every point's implausibility is then exact up to
// replicate noise rather than up to an emulator's error. Boxes are coordinates in the unit
// hypercube of prior quantiles, so a log-uniform parameter is cut in factors and a normal one in
// probability.
//
// Deterministic: wave w's design depends on (seed, w) only and its points are simulated into
// fixed slots (calibration/point_ensembles.hpp) with their own streams, so the result does not
// depend on the thread count; a history match resumed after wave w is the one run straight through.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/point_ensembles.hpp"
#include "calibration/prior.hpp"

namespace iskabm {

// Which largest implausibility decides a point: 1 the largest ("max"), 2 the second largest, ...
// Its name: "max", "second", "third", then "4th", "5th", ...
[[nodiscard]] std::string implausibility_rank_name(std::size_t rank);
// The rank of a name ("max", "second", "third") or of a number ("5"); 0 if it is neither.
[[nodiscard]] std::size_t implausibility_rank_of(const std::string& name);

struct HistoryMatchOptions {
  std::size_t waves = 3;
  std::size_t points = 256;    // per wave
  std::size_t replicates = 4;  // per point: at least 2 (the ensemble variance)
  double cutoff = 3.0;
  std::size_t rank = 2;  // the rank-th largest implausibility decides (1: the largest)
  double margin = 0.1;  // the next box: the non-implausible points' box widened by this x its width per side
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all cores
};

// What the implausibility compares, per statistic.
struct ImplausibilityTerms {
  std::vector<double> observed;              // NaN: not matched
  std::vector<double> observation_variance;  // declared
  std::vector<double> discrepancy_variance;  // declared
};

// One statistic's implausibility: +inf where the model never defines a statistic that is observed
// (mean NaN), or where the total variance is 0 and the mean misses; 0 where nothing is observed.
[[nodiscard]] double implausibility(double observed, double mean, double variance, std::uint32_t replicates,
                                    double observation_variance, double discrepancy_variance) noexcept;
// The rank-th largest of a point's implausibilities (the smallest if there are fewer).
[[nodiscard]] double point_implausibility(std::vector<double> per_statistic, std::size_t rank);

struct HistoryMatchWave {
  std::size_t index = 0;
  std::vector<double> lower, upper;             // the box this wave sampled (unit coordinates)
  std::vector<std::vector<double>> design;      // unit coordinates of the points
  std::vector<std::vector<double>> values;      // the parameter values there
  std::vector<std::vector<double>> mean, variance;  // per point and statistic, over the replicates
  std::vector<std::vector<double>> implausibility;  // per point and statistic
  std::vector<double> point_implausibility;         // the measure's
  std::vector<std::uint8_t> non_implausible;
  double non_implausible_fraction = 0;  // of this wave's points
  // An estimate of the share of the prior (in probability) still non-implausible: the box's volume
  // x the non-implausible fraction.
  double region_fraction = 0;
  std::vector<double> next_lower, next_upper;  // the box the wave leaves (its own if none passed)
  std::uint64_t simulations = 0;
  double seconds = 0;
};

struct HistoryMatch {
  std::vector<HistoryMatchWave> waves;  // complete ones
  bool exhausted = false;    // the last wave found no non-implausible point: its box was kept
  bool interrupted = false;  // stopped inside a wave (that wave is dropped)
  // The non-implausible region the waves leave, in unit coordinates (the whole cube before any).
  [[nodiscard]] std::vector<double> lower(std::size_t factors) const;
  [[nodiscard]] std::vector<double> upper(std::size_t factors) const;
};

// Wave w's design: `points` points of the Sobol' sequence after its first w x points, shifted by a
// uniform vector drawn from (seed, w) modulo 1 (Cranley-Patterson), then scaled into the box.
[[nodiscard]] std::vector<std::vector<double>> history_match_design(const std::vector<double>& lower,
                                                                    const std::vector<double>& upper,
                                                                    std::size_t points, std::size_t wave,
                                                                    std::uint64_t seed);
// A unit coordinate mapped through a prior (kept off 0 and 1 so unbounded priors stay finite).
[[nodiscard]] double prior_at(const Prior& prior, double u);

// Runs the waves after `resume_from` (complete waves of an interrupted run with the same inputs).
// The simulator is called with generation 2^30 + wave and proposal point x replicates + replicate.
// `on_wave` after each complete wave (checkpoints, progress); `on_progress(done, total)` inside one;
// `batch` simulates the runs elsewhere (MPI ranks) with the same result.
[[nodiscard]] HistoryMatch run_history_match(
    const std::vector<Prior>& priors, const ImplausibilityTerms& terms, const HistoryMatchOptions& options,
    const AbcSimulator& simulate, const std::function<void(const HistoryMatchWave&)>& on_wave = {},
    const std::function<void(std::size_t, std::size_t)>& on_progress = {}, const std::atomic<bool>* stop = nullptr,
    std::vector<HistoryMatchWave> resume_from = {}, const RunBatchSimulator& batch = {});

// The priors restricted to the region (Prior::truncated at the box's prior quantiles); a side the
// waves did not cut keeps the prior's own bound.
[[nodiscard]] std::vector<Prior> bounded_priors(const std::vector<Prior>& priors, const std::vector<double>& lower,
                                                const std::vector<double>& upper);

}  // namespace iskabm
