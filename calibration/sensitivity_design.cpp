#include "calibration/sensitivity_design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "base/quantile.hpp"
#include "model/random_stream.hpp"

namespace iskabm::sensitivity {

MorrisDesign morris_design(std::size_t factors, std::size_t trajectories, std::size_t levels, std::uint64_t seed) {
  if (factors == 0 || trajectories == 0) throw std::invalid_argument("morris_design: no factors or trajectories");
  if (levels < 2 || levels % 2 != 0) throw std::invalid_argument("morris_design: levels must be even and >= 2");
  MorrisDesign d;
  d.factors = factors;
  d.trajectories = trajectories;
  d.levels = levels;
  const double grid = 1.0 / static_cast<double>(levels - 1);
  d.delta = static_cast<double>(levels / 2) * grid;
  const auto half = static_cast<std::uint64_t>(levels / 2);
  for (std::size_t t = 0; t < trajectories; ++t) {
    RandomStream rng(seed, t, Purpose::sensitivity_design, 0, 0);
    std::vector<double> x(factors), direction(factors);
    for (std::size_t i = 0; i < factors; ++i) {
      const auto level = rng() % half;  // the base level: x + Delta stays on the grid
      direction[i] = (rng() & 1u) ? 1.0 : -1.0;
      x[i] = static_cast<double>(level) * grid + (direction[i] < 0 ? d.delta : 0.0);
    }
    std::vector<std::size_t> order(factors);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = factors; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);  // Fisher-Yates
    d.points.push_back(x);
    for (const auto i : order) {
      x[i] += direction[i] * d.delta;
      x[i] = std::clamp(x[i], 0.0, 1.0);  // exact grid values; guards rounding only
      d.points.push_back(x);
      d.moved.push_back(i);
      d.step.push_back(direction[i] * d.delta);
    }
  }
  return d;
}

MorrisIndices morris_indices(const MorrisDesign& d, const std::vector<double>& outputs) {
  if (outputs.size() != d.points.size()) throw std::invalid_argument("morris_indices: one output per design point");
  const auto k = d.factors, r = d.trajectories;
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < r; ++t)
    for (std::size_t j = 1; j <= k; ++j) {
      const auto at = t * (k + 1) + j;
      const auto s = t * k + j - 1;
      effects[d.moved[s]].push_back((outputs[at] - outputs[at - 1]) / d.step[s]);
    }
  MorrisIndices m;
  for (const auto& e : effects) {
    const double n = static_cast<double>(e.size());
    double sum = 0, abs_sum = 0;
    for (double x : e) sum += x, abs_sum += std::abs(x);
    const double mean = sum / n;
    double ss = 0;
    for (double x : e) ss += (x - mean) * (x - mean);
    m.mu.push_back(mean);
    m.mu_star.push_back(abs_sum / n);
    m.sigma.push_back(e.size() > 1 ? std::sqrt(ss / (n - 1)) : 0.0);
  }
  return m;
}

SaltelliDesign saltelli_design(std::size_t factors, std::size_t base_samples, std::size_t skip) {
  if (factors == 0 || base_samples == 0) throw std::invalid_argument("saltelli_design: no factors or samples");
  SaltelliDesign d;
  d.factors = factors;
  d.base_samples = base_samples;
  boost::random::sobol sequence(2 * factors);
  sequence.discard(static_cast<std::uintmax_t>(skip) * 2 * factors);
  const double scale = std::ldexp(1.0, -64);  // the engine's 64-bit integers onto [0, 1)
  d.points.reserve(base_samples * d.points_per_row());
  for (std::size_t j = 0; j < base_samples; ++j) {
    std::vector<double> a(factors), b(factors);
    for (auto& x : a) x = static_cast<double>(sequence()) * scale;
    for (auto& x : b) x = static_cast<double>(sequence()) * scale;
    d.points.push_back(a);
    d.points.push_back(b);
    for (std::size_t i = 0; i < factors; ++i) {
      auto ab = a;
      ab[i] = b[i];
      d.points.push_back(std::move(ab));
    }
  }
  return d;
}

namespace {

struct Estimate {
  double mean = 0, variance = 0;
  std::vector<double> first, total;
};

// The estimators over the rows listed in `rows` (with repeats for a bootstrap resample).
Estimate estimate(const SaltelliDesign& d, const std::vector<double>& f, const std::vector<std::size_t>& rows) {
  const auto k = d.factors, per = d.points_per_row();
  const double n = static_cast<double>(rows.size());
  Estimate e;
  double sum = 0;
  for (auto j : rows) sum += f[j * per] + f[j * per + 1];
  e.mean = sum / (2 * n);
  double ss = 0;
  for (auto j : rows) {
    const double a = f[j * per] - e.mean, b = f[j * per + 1] - e.mean;
    ss += a * a + b * b;
  }
  e.variance = ss / (2 * n);
  e.first.assign(k, 0.0);
  e.total.assign(k, 0.0);
  if (!(e.variance > 0)) return e;
  for (std::size_t i = 0; i < k; ++i) {
    double s1 = 0, st = 0;
    for (auto j : rows) {
      const double fa = f[j * per], fb = f[j * per + 1], fab = f[j * per + 2 + i];
      s1 += fb * (fab - fa);
      st += (fa - fab) * (fa - fab);
    }
    e.first[i] = s1 / n / e.variance;
    e.total[i] = st / (2 * n) / e.variance;
  }
  return e;
}

}  // namespace

SobolIndices sobol_indices(const SaltelliDesign& d, const std::vector<double>& outputs, std::size_t resamples,
                           std::uint64_t seed) {
  if (outputs.size() != d.points.size()) throw std::invalid_argument("sobol_indices: one output per design point");
  const auto n = d.base_samples, k = d.factors;
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  const auto e = estimate(d, outputs, rows);
  SobolIndices s;
  s.mean = e.mean;
  s.variance = e.variance;
  s.first = e.first;
  s.total = e.total;
  s.first_low = s.first_high = s.first;
  s.total_low = s.total_high = s.total;
  if (resamples == 0) return s;
  std::vector<std::vector<double>> first(k), total(k);
  for (std::size_t b = 0; b < resamples; ++b) {
    RandomStream rng(seed, b, Purpose::sensitivity_design, 1, 0);
    for (auto& j : rows) j = static_cast<std::size_t>(rng() % n);
    const auto r = estimate(d, outputs, rows);
    for (std::size_t i = 0; i < k; ++i) first[i].push_back(r.first[i]), total[i].push_back(r.total[i]);
  }
  for (std::size_t i = 0; i < k; ++i) {
    s.first_low[i] = quantile(first[i], 0.025);
    s.first_high[i] = quantile(first[i], 0.975);
    s.total_low[i] = quantile(total[i], 0.025);
    s.total_high[i] = quantile(total[i], 0.975);
  }
  return s;
}

}  // namespace iskabm::sensitivity
