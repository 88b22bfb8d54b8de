#include "calibration/forecast_conditioning.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace iskabm {

ConditionedReplicates condition_on_record(std::span<const double> simulated, std::size_t countries,
                                          std::span<const double> observed) {
  if (countries == 0 || observed.size() != countries || simulated.empty() || simulated.size() % countries != 0)
    throw std::invalid_argument("condition_on_record: sizes do not match");
  const auto negative = [](double x) { return !std::isfinite(x) || x < 0; };
  if (std::any_of(simulated.begin(), simulated.end(), negative) ||
      std::any_of(observed.begin(), observed.end(), negative))
    throw std::invalid_argument("condition_on_record: a count is negative or not a number");
  const std::size_t n = simulated.size() / countries;
  ConditionedReplicates out;
  std::vector<double> log_w(n, 0.0);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < countries; ++c) {
      const double d = std::sqrt(simulated[r * countries + c]) - std::sqrt(observed[c]);
      log_w[r] -= d * d;
    }
  const double top = *std::max_element(log_w.begin(), log_w.end());
  out.weights.resize(n);
  double sum = 0;
  for (std::size_t r = 0; r < n; ++r) sum += out.weights[r] = std::exp(log_w[r] - top);  // the best is 1
  double sum_sq = 0;
  for (auto& w : out.weights) {
    w /= sum;
    sum_sq += w * w;
  }
  out.effective_size = 1 / sum_sq;
  // Systematic resampling, offsets (k + ½) / n.
  out.resampled.reserve(n);
  double cumulative = 0;
  std::size_t r = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double u = (static_cast<double>(k) + 0.5) / static_cast<double>(n);
    while (r + 1 < n && cumulative + out.weights[r] < u) cumulative += out.weights[r++];
    out.resampled.push_back(r);
  }
  return out;
}

}  // namespace iskabm
