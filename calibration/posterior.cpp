#include "calibration/posterior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/errors.hpp"
#include "model/random_stream.hpp"

namespace iskabm {

double ParameterSummary::identifiability() const noexcept {
  const auto scale = [this](double x) { return log_scale ? std::log(x) : x; };
  const double prior_width = scale(prior_q95) - scale(prior_q05);
  return prior_width > 0 ? (scale(q95) - scale(q05)) / prior_width : std::numeric_limits<double>::quiet_NaN();
}

double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q) {
  if (x.empty() || x.size() != w.size()) throw Error("weighted_quantile: values and weights differ in length");
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  // Each value sits at the middle of its weight step: p_i = (W_{i-1} + w_i / 2) / W; values of
  // weight 0 take no part.
  double cumulative = 0, prev_p = 0, prev_x = 0;
  bool first = true;
  for (const auto k : order) {
    const double wi = w[k];
    if (!(wi > 0)) continue;
    const double p = (cumulative + wi / 2) / total;
    cumulative += wi;
    if (q <= p) return first || p == prev_p ? x[k] : prev_x + (x[k] - prev_x) * (q - prev_p) / (p - prev_p);
    prev_p = p, prev_x = x[k], first = false;
  }
  if (first) throw Error("weighted_quantile: no positive weight");
  return prev_x;
}

IntervalLevels interval_levels(const std::vector<double>& w) {
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  if (!(total > 0)) return {};
  std::vector<double> normalised;
  for (double x : w) normalised.push_back(x / total);
  const double ess = effective_sample_size(normalised);
  return {std::max(0.0, 0.05 - 0.45 / ess), std::min(1.0, 0.95 + 0.45 / ess)};
}

std::vector<ParameterSummary> summarise_population(const Generation& g, const std::vector<std::string>& keys,
                                                   const std::vector<std::string>& units,
                                                   const std::vector<Prior>& priors) {
  std::vector<ParameterSummary> out;
  const auto levels = interval_levels(g.weight);
  for (std::size_t p = 0; p < keys.size(); ++p) {
    ParameterSummary s;
    s.key = keys[p];
    s.unit = p < units.size() ? units[p] : "";
    s.prior = priors[p].describe();
    std::vector<double> x;
    for (const auto& t : g.theta) x.push_back(t[p]);
    double mean = 0, var = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mean += g.weight[i] * x[i];
    for (std::size_t i = 0; i < x.size(); ++i) var += g.weight[i] * (x[i] - mean) * (x[i] - mean);
    s.mean = mean;
    s.sd = std::sqrt(var);
    s.median = weighted_quantile(x, g.weight, 0.5);
    s.q05 = weighted_quantile(x, g.weight, levels.lower);
    s.q95 = weighted_quantile(x, g.weight, levels.upper);
    s.prior_q05 = priors[p].quantile(0.05);
    s.prior_q95 = priors[p].quantile(0.95);
    s.log_scale = priors[p].kind == Prior::Kind::log_uniform;
    out.push_back(std::move(s));
  }
  return out;
}

std::size_t draw_particle(const std::vector<double>& weights, std::uint64_t seed, std::uint64_t replicate) {
  if (weights.empty()) throw Error("the posterior has no particles");
  RandomStream rng(seed, replicate, Purpose::posterior_draw, 0, 0);
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double u = rng.uniform() * total;
  std::size_t last = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!(weights[i] > 0)) continue;
    if (u < weights[i]) return i;
    u -= weights[i];
    last = i;
  }
  return last;  // rounding: the last particle with weight
}

}  // namespace iskabm
