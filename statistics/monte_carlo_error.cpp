#include "statistics/monte_carlo_error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/random_stream.hpp"

namespace iskabm {

namespace {

// The type-7 median of v (reordered in place).
double median_in_place(std::vector<double>& v) {
  const std::size_t n = v.size();
  const std::size_t lo = (n - 1) / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(lo), v.end());
  if (n % 2 == 1) return v[lo];
  const double a = v[lo];
  const double b = *std::min_element(v.begin() + static_cast<long>(lo) + 1, v.end());
  return 0.5 * (a + b);
}

}  // namespace

ReplicateBootstrap::ReplicateBootstrap(std::size_t replicates, std::size_t resamples)
    : n_(replicates), b_(replicates >= 2 ? resamples : 0) {
  if (n_ * b_ <= stored_limit) {
    index_.resize(n_ * b_);
    for (std::size_t b = 0; b < b_; ++b) draw(b, std::span(index_).subspan(b * n_, n_));
  }
}

// Resample b: n replicate indices, uniform, from the stream keyed by the number of replicates only
// (the same resamples for every set of n values).
void ReplicateBootstrap::draw(std::size_t b, std::span<std::uint32_t> out) const {
  RandomStream stream(0, n_, Purpose::monte_carlo_error, b, 0);
  for (auto& i : out) {
    const auto k = static_cast<std::size_t>(stream.uniform() * static_cast<double>(n_));
    i = static_cast<std::uint32_t>(std::min(k, n_ - 1));
  }
}

double ReplicateBootstrap::median_error(std::span<const double> values) const {
  if (values.size() != n_) throw std::invalid_argument("ReplicateBootstrap: values are not one per replicate");
  if (b_ == 0 || std::any_of(values.begin(), values.end(), [](double x) { return std::isnan(x); }))
    return std::numeric_limits<double>::quiet_NaN();
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo == *hi) return 0.0;
  std::vector<double> resample(n_), medians(b_);
  std::vector<std::uint32_t> drawn(index_.empty() ? n_ : 0);
  for (std::size_t b = 0; b < b_; ++b) {
    std::span<const std::uint32_t> index;
    if (index_.empty()) {
      draw(b, drawn);
      index = drawn;
    } else {
      index = std::span(index_).subspan(b * n_, n_);
    }
    for (std::size_t i = 0; i < n_; ++i) resample[i] = values[index[i]];
    medians[b] = median_in_place(resample);
  }
  double mean = 0;  // two passes: no cancellation when the medians hardly vary
  for (double m : medians) mean += m;
  mean /= static_cast<double>(b_);
  double ss = 0;
  for (double m : medians) ss += (m - mean) * (m - mean);
  return std::sqrt(ss / static_cast<double>(b_ - 1));
}

std::uint64_t replicates_for_precision(std::uint64_t replicates, double error, double target) {
  if (!(target > 0) || std::isnan(error)) return 0;
  if (error <= target) return replicates;
  const double needed = std::ceil(static_cast<double>(replicates) * (error / target) * (error / target));
  return needed >= 1e15 ? std::uint64_t{1000000000000000} : static_cast<std::uint64_t>(needed);
}

}  // namespace iskabm
