#pragma once
// Proper scoring rules for forecasts of counts (Gneiting & Raftery 2007; Czado, Gneiting & Held
// 2009). A predictive distribution is either a sample (an ensemble, a Monte Carlo forecast) or a
// parametric count distribution (Poisson, negative binomial). All scores are negatively oriented:
// lower is better.
//
// CRPS(F, y) = integral of (F(x) - 1{x >= y})^2 dx. For a distribution on the integers it is the
//   sum over k >= 0 of (F(k) - 1{k >= y})^2, which is how it is computed for parametric
//   distributions (summed until the remaining tail mass is below 1e-12). For a sample x_1..x_n it
//   is the CRPS of the sample's empirical distribution, exactly: E|X - y| - E|X - X'| / 2 with X,
//   X' drawn from the sample, in O(n log n) from the sorted sample as
//     (1/n) sum_i |x_(i) - y| - (1/n^2) sum_i (2i - n - 1) x_(i).
//   Both are the same functional (the CRPS of the forecast's CDF), so sample and parametric
//   forecasts are scored consistently. Same unit as the counts.
// Log score = -log p(y) (nats). A sample has no pmf of its own: it is scored with the negative
//   binomial of the sample's mean m and variance v (size m^2 / (v - m)), or the Poisson of mean m
//   when v <= m. A zero sample mean (every member 0) becomes 0.5 / n, half an event over the n
//   members, so an observed count the sample never produced gets a large but finite score.
// Central interval coverage: y lies in [q(a/2), q(1 - a/2)] (a = 0.5, 0.1), with q(p) the lower
//   quantile min{k : F(k) >= p} of the predictive (empirical for a sample). For counts the
//   intervals are closed and discrete, so coverage of a calibrated forecast is at least nominal.
#include <cstdint>
#include <span>
#include <vector>

namespace iskabm {

// Poisson or negative binomial (NB2: variance mean + mean^2 / size) on 0, 1, 2, ...
class CountDistribution {
 public:
  [[nodiscard]] static CountDistribution poisson(double mean);
  // size = +infinity gives the Poisson.
  [[nodiscard]] static CountDistribution negative_binomial(double mean, double size);
  // Negative binomial (or Poisson) matched to a sample's mean and variance (see above).
  [[nodiscard]] static CountDistribution moment_matched(std::span<const double> sample);

  [[nodiscard]] double mean() const noexcept { return mean_; }
  [[nodiscard]] double size() const noexcept { return size_; }  // +infinity: Poisson
  [[nodiscard]] bool is_poisson() const noexcept;
  [[nodiscard]] double variance() const noexcept;
  [[nodiscard]] double log_pmf(std::int64_t k) const noexcept;
  // The count of a fraction `share` of the events (binomial thinning): NB(share x mean, size).
  [[nodiscard]] CountDistribution thinned(double share) const { return {mean_ * share, size_}; }

 private:
  CountDistribution(double mean, double size) : mean_(mean), size_(size) {}
  double mean_ = 0, size_ = 0;
};

// The scores of one forecast of one observation.
struct PointScores {
  double crps = 0;
  double log_score = 0;
  bool in50 = false, in90 = false;
  double mean = 0;  // the forecast's mean
};

// CRPS of a sample (any order) against y: see above.
[[nodiscard]] double crps_sample(std::span<const double> sample, double y);
// Same, for a sample sorted ascending.
[[nodiscard]] double crps_sorted_sample(std::span<const double> sorted, double y);
// CRPS of a count distribution: sum over k of (F(k) - 1{k >= y})^2.
[[nodiscard]] double crps(const CountDistribution& f, std::int64_t y);
// Lower p-quantile of a sorted sample: its ceil(p n)-th smallest member.
[[nodiscard]] double sample_quantile(std::span<const double> sorted, double p);
[[nodiscard]] std::int64_t quantile(const CountDistribution& f, double p);

// All scores of a forecast against the observed count y.
[[nodiscard]] PointScores score(const CountDistribution& f, std::int64_t y);
[[nodiscard]] PointScores score_sample(std::vector<double> sample, std::int64_t y);

}  // namespace iskabm
