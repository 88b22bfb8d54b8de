#include "calibration/scoring_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace iskabm {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double poisson_size = 1e8;  // larger NB sizes are evaluated as the Poisson
constexpr double tail_tolerance = 1e-12;
constexpr double quantile_slack = 1e-12;
constexpr std::int64_t max_support_steps = 50'000'000;

// Walks the pmf from 0 upward until k >= y, every requested quantile is found and the tail mass
// left is below tail_tolerance. Returns the CRPS sum; fills quantiles[i] = q(ps[i]).
double walk(const CountDistribution& f, std::int64_t y, std::span<const double> ps, std::int64_t* quantiles) {
  const double mu = f.mean(), r = f.size();
  const bool poisson = f.is_poisson();
  const double q_limit = poisson ? 0.0 : mu / (r + mu);  // the pmf ratio's limit (NB)
  const auto ratio = [&](std::int64_t k) {               // p(k + 1) / p(k)
    const auto kd = static_cast<double>(k);
    return poisson ? mu / (kd + 1) : (kd + r) / (kd + 1) * q_limit;
  };
  std::size_t found = 0;
  double lp = f.log_pmf(0), cdf = 0, sum = 0;
  for (std::int64_t k = 0; k < max_support_steps; ++k) {
    cdf += std::exp(lp);
    const double indicator = k >= y ? 1.0 : 0.0;
    sum += (cdf - indicator) * (cdf - indicator);
    while (found < ps.size() && cdf >= ps[found] - quantile_slack) quantiles[found++] = k;
    const double rk = ratio(k);
    lp = rk > 0 ? lp + std::log(rk) : -infinity;
    if (k >= y && found == ps.size()) {
      const double next = std::exp(lp), rmax = std::max(ratio(k + 1), q_limit);
      if (next == 0 || (rmax < 1 && next / (1 - rmax) < tail_tolerance)) break;
    }
  }
  return sum;
}

}  // namespace

CountDistribution CountDistribution::poisson(double mean) {
  if (!(mean >= 0) || !std::isfinite(mean)) throw std::invalid_argument("Poisson mean must be finite and >= 0");
  return {mean, infinity};
}

CountDistribution CountDistribution::negative_binomial(double mean, double size) {
  if (!(mean >= 0) || !std::isfinite(mean))
    throw std::invalid_argument("negative binomial mean must be finite and >= 0");
  if (!(size > 0)) throw std::invalid_argument("negative binomial size must be > 0");
  return {mean, size};
}

CountDistribution CountDistribution::moment_matched(std::span<const double> sample) {
  if (sample.empty()) throw std::invalid_argument("moment_matched: empty sample");
  const auto n = static_cast<double>(sample.size());
  const double m = std::accumulate(sample.begin(), sample.end(), 0.0) / n;
  if (m <= 0) return poisson(0.5 / n);
  double ss = 0;
  for (const double x : sample) ss += (x - m) * (x - m);
  const double v = sample.size() > 1 ? ss / (n - 1) : 0.0;
  return v > m ? negative_binomial(m, m * m / (v - m)) : poisson(m);
}

bool CountDistribution::is_poisson() const noexcept { return size_ > poisson_size; }
double CountDistribution::variance() const noexcept { return is_poisson() ? mean_ : mean_ + mean_ * mean_ / size_; }

double CountDistribution::log_pmf(std::int64_t k) const noexcept {
  if (k < 0) return -infinity;
  const auto kd = static_cast<double>(k);
  if (mean_ == 0) return k == 0 ? 0.0 : -infinity;
  if (is_poisson()) return kd * std::log(mean_) - mean_ - std::lgamma(kd + 1);
  const double r = size_;
  return std::lgamma(kd + r) - std::lgamma(r) - std::lgamma(kd + 1) - r * std::log1p(mean_ / r) +
         kd * (std::log(mean_) - std::log(r + mean_));
}

double crps_sorted_sample(std::span<const double> x, double y) {
  if (x.empty()) throw std::invalid_argument("crps: empty sample");
  const auto n = static_cast<double>(x.size());
  double abs_dev = 0, spread = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    abs_dev += std::abs(x[i] - y);
    spread += (2.0 * static_cast<double>(i + 1) - n - 1) * x[i];
  }
  return abs_dev / n - spread / (n * n);
}

double crps_sample(std::span<const double> sample, double y) {
  std::vector<double> sorted(sample.begin(), sample.end());
  std::sort(sorted.begin(), sorted.end());
  return crps_sorted_sample(sorted, y);
}

double crps(const CountDistribution& f, std::int64_t y) { return walk(f, y, {}, nullptr); }

double sample_quantile(std::span<const double> sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("quantile: empty sample");
  const auto rank = static_cast<std::ptrdiff_t>(std::ceil(p * static_cast<double>(sorted.size()) - 1e-9));
  return sorted[static_cast<std::size_t>(
      std::clamp<std::ptrdiff_t>(rank - 1, 0, static_cast<std::ptrdiff_t>(sorted.size()) - 1))];
}

std::int64_t quantile(const CountDistribution& f, double p) {
  std::int64_t q = 0;
  const double ps[] = {p};
  (void)walk(f, 0, ps, &q);
  return q;
}

PointScores score(const CountDistribution& f, std::int64_t y) {
  static constexpr double ps[] = {0.05, 0.25, 0.75, 0.95};
  std::int64_t q[4] = {0, 0, 0, 0};
  PointScores s;
  s.crps = walk(f, y, ps, q);
  s.log_score = -f.log_pmf(y);
  s.in50 = q[1] <= y && y <= q[2];
  s.in90 = q[0] <= y && y <= q[3];
  s.mean = f.mean();
  return s;
}

PointScores score_sample(std::vector<double> sample, std::int64_t y) {
  std::sort(sample.begin(), sample.end());
  const auto yd = static_cast<double>(y);
  PointScores s;
  s.crps = crps_sorted_sample(sample, yd);
  s.log_score = -CountDistribution::moment_matched(sample).log_pmf(y);
  s.in50 = sample_quantile(sample, 0.25) <= yd && yd <= sample_quantile(sample, 0.75);
  s.in90 = sample_quantile(sample, 0.05) <= yd && yd <= sample_quantile(sample, 0.95);
  s.mean = std::accumulate(sample.begin(), sample.end(), 0.0) / static_cast<double>(sample.size());
  return s;
}

}  // namespace iskabm
