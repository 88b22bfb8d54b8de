#pragma once
// A global sensitivity study of a calibration spec (issue 18): the spec's free parameters are the
// factors, each varied over its prior (a point u of the unit hypercube is mapped through the
// priors' quantiles), and every statistic of the spec is an output. Morris elementary effects
// screen; Sobol' first-order and total indices (Saltelli design) quantify.
//
// The model is stochastic: each design point is the mean of `replicates` replicates, and every
// design point uses the same replicates' random streams (common random numbers: replicate m of
// every point is simulated as (generation 2^31 - 1, proposal m)), so an elementary effect or an
// A_B^i - A difference measures the parameters' effect, not two different draws of noise. The
// result does not depend on the thread count (points are simulated in parallel into fixed slots).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/point_ensembles.hpp"
#include "calibration/prior.hpp"
#include "calibration/sensitivity_design.hpp"

namespace iskabm {

enum class SensitivityMethod : std::uint8_t { morris, sobol };
[[nodiscard]] std::string_view to_string(SensitivityMethod m) noexcept;

struct SensitivityOptions {
  SensitivityMethod method = SensitivityMethod::morris;
  std::size_t trajectories = 20;   // Morris
  std::size_t levels = 4;          // Morris grid
  std::size_t base_samples = 256;  // Sobol' N: N (k + 2) design points
  std::size_t bootstrap = 200;     // Sobol' bootstrap resamples
  std::size_t replicates = 1;      // model replicates averaged per design point
  std::uint64_t seed = 1;
  // Analyse log(1 + y) for every output that is never negative over the design (counts, shares,
  // strengths): a parameter that scales a count (a reporting rate) then weighs as much as one that
  // shifts it by orders of magnitude (the attack rate) does over its own range.
  bool log_outputs = false;
  int threads = 0;  // 0: all cores
};

// One row per (factor, statistic).
struct SensitivityIndex {
  std::size_t factor = 0, statistic = 0;
  // Morris: mu, mu* and sigma per unit of the prior's quantile (a parameter uniform on [0, 1] whose
  // effect is linear with slope c has mu = c); Sobol': S1 and ST with
  // bootstrap 95 % intervals. The other method's fields are NaN.
  double mu = 0, mu_star = 0, sigma = 0;
  double first = 0, first_low = 0, first_high = 0, total = 0, total_low = 0, total_high = 0;
  // The statistic's standard deviation over the design (to compare factors across statistics:
  // mu* / sd); 0 when the statistic did not vary.
  double output_sd = 0;
};

struct SensitivityStudy {
  SensitivityOptions options;
  std::vector<std::string> factors, statistics;
  std::vector<double> weights;  // the spec's statistic weights
  std::uint64_t simulations = 0;
  std::vector<SensitivityIndex> indices;  // factor-major
  // The design: unit-hypercube points, the parameter values they map to, and the outputs there
  // (means over the replicates).
  std::vector<std::vector<double>> design, values, outputs;
  bool interrupted = false;
  // A factor's influence over all statistics: the weighted mean of mu* / sd (Morris) or of ST
  // (Sobol') over the statistics that varied.
  [[nodiscard]] double overall(std::size_t factor) const;
  // Factors by decreasing overall influence.
  [[nodiscard]] std::vector<std::size_t> ranking() const;
};

// The parameter vector of a unit-hypercube point: prior quantiles of the cell midpoints of a
// Morris grid (u = l / (p - 1) maps to the quantile (l + 0.5) / p, so unbounded priors stay
// finite) or of the Sobol' point itself (method sobol).
[[nodiscard]] std::vector<double> sensitivity_point_values(const std::vector<Prior>& priors,
                                                           const std::vector<double>& u,
                                                           const SensitivityOptions& options);

// `on_progress(done, total)` after each batch of design points; `stop` ends the study between
// batches (interrupted = true, no indices; `outputs` holds the points done). A resumed study passes
// the outputs of its first points (`done`); `on_checkpoint(study)` gets the study so far after each
// batch (design and values whole, outputs of the points done, no indices); `batch` simulates
// elsewhere (MPI ranks) with the same result.
[[nodiscard]] SensitivityStudy run_sensitivity_study(
    const std::vector<std::string>& factors, const std::vector<Prior>& priors,
    const std::vector<std::string>& statistics, const std::vector<double>& weights, const SensitivityOptions& options,
    const AbcSimulator& simulate, const std::function<void(std::size_t, std::size_t)>& on_progress = {},
    const std::atomic<bool>* stop = nullptr, std::vector<std::vector<double>> done = {},
    const std::function<void(const SensitivityStudy&)>& on_checkpoint = {},
    const RunBatchSimulator& batch = {});

}  // namespace iskabm
