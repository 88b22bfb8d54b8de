#pragma once
// What a calibration tells about its parameters: weighted posterior summaries of a population
// (mean, sd, median, 90 % interval), the prior's 90 % interval beside it, and identifiability
// (posterior / prior interval width: near 1, the data say little about the parameter; near 0,
// they pin it down). Also the deterministic draw of a posterior particle for a replicate.
#include <cstdint>
#include <string>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/prior.hpp"
#include "model/parameters.hpp"

namespace iskabm {

struct ParameterSummary {
  std::string key, unit, prior;
  double mean = 0, sd = 0, median = 0, q05 = 0, q95 = 0;
  double prior_q05 = 0, prior_q95 = 0;
  bool log_scale = false;  // a log-uniform prior: widths are compared on the log scale
  // Posterior 90 % interval width over the prior's (on the log scale for a log-uniform prior);
  // NaN for a degenerate prior interval.
  [[nodiscard]] double identifiability() const noexcept;
};

// The q-quantile of x under normalised weights w (inverse of the weighted empirical CDF, with
// linear interpolation between the midpoints of the weight steps).
[[nodiscard]] double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q);

// The quantile levels of a population's 90 % interval: 0.05 and 0.95 moved out by 0.45 / n_e,
// n_e = (sum w)^2 / sum w^2 the effective sample size. With n exchangeable draws from a posterior,
// a further draw - the true parameter, when the posterior is calibrated - lies between the order
// statistics k and n + 1 - k with probability (n + 1 - 2k) / (n + 1), so the interval that holds
// it with probability 0.90 takes k = 0.05 (n + 1), at the midpoint position (k - 1/2) / n =
// 0.05 - 0.45 / n. The plain levels would cover 1 - (0.1 n + 1) / (n + 1): 0.88 at n_e = 40,
// which is what the coverage study measured before (docs/calibration.md, Synthetic-truth checks).
struct IntervalLevels {
  double lower = 0.05, upper = 0.95;
};
[[nodiscard]] IntervalLevels interval_levels(const std::vector<double>& w);

// Summaries of a population; `keys`, `units`, `priors` describe the parameters in order. The 90 %
// interval uses `interval_levels` of the population's weights.
[[nodiscard]] std::vector<ParameterSummary> summarise_population(const Generation& g,
                                                                 const std::vector<std::string>& keys,
                                                                 const std::vector<std::string>& units,
                                                                 const std::vector<Prior>& priors);

// The particle (index into `weights`) that replicate `replicate` of a run with master seed `seed`
// uses: drawn by weight from the stream (seed, replicate, posterior_draw), so it depends on
// nothing else — not the thread count, not the other replicates.
[[nodiscard]] std::size_t draw_particle(const std::vector<double>& weights, std::uint64_t seed,
                                        std::uint64_t replicate);

// The parameter values of each replicate of a posterior-driven run (`run --posterior`).
struct PosteriorDraw {
  std::vector<const ParameterSpec*> parameters;
  std::vector<std::vector<double>> theta;  // the posterior particles
  std::vector<double> weight;

  [[nodiscard]] const std::vector<double>& values(std::uint64_t seed, std::uint64_t replicate) const {
    return theta[draw_particle(weight, seed, replicate)];
  }
  void apply(Parameters& p, const std::vector<double>& values) const {
    for (std::size_t k = 0; k < parameters.size(); ++k) p.*(parameters[k]->field) = values[k];
  }
};

}  // namespace iskabm
