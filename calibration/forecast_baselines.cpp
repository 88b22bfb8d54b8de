#include "calibration/forecast_baselines.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "model/calendar.hpp"

namespace iskabm {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double min_size = 0.01, max_size = 1e6;

double nb_log_likelihood(std::span<const double> y, std::span<const double> mu, double size) {
  double ll = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const auto f =
        std::isinf(size) ? CountDistribution::poisson(mu[i]) : CountDistribution::negative_binomial(mu[i], size);
    ll += f.log_pmf(std::llround(y[i]));
  }
  return ll;
}

// Maximises f on [lo, hi] (golden-section search; f is assumed unimodal there).
template <class F>
double golden_max(F f, double lo, double hi, int iterations = 80) {
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  for (int i = 0; i < iterations && b - a > 1e-7; ++i) {
    if (fc >= fd) {
      b = d, d = c, fd = fc;
      c = b - g * (b - a), fc = f(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + g * (b - a), fd = f(d);
    }
  }
  return fc >= fd ? c : d;
}

// Solves A x = b in place (A n x n, row-major; Gaussian elimination with partial pivoting).
std::vector<double> solve(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r * n + col]) > std::abs(a[pivot * n + col])) pivot = r;
    if (a[pivot * n + col] == 0) throw std::runtime_error("singular system in the NB regression");
    if (pivot != col) {
      for (std::size_t k = 0; k < n; ++k) std::swap(a[col * n + k], a[pivot * n + k]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < n; ++r) {
      const double factor = a[r * n + col] / a[col * n + col];
      if (factor == 0) continue;
      for (std::size_t k = col; k < n; ++k) a[r * n + k] -= factor * a[col * n + k];
      b[r] -= factor * b[col];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[i * n + k] * x[k];
    x[i] = s / a[i * n + i];
  }
  return x;
}

// Nelder-Mead minimisation in 3 dimensions.
template <class F>
std::pair<std::array<double, 3>, double> nelder_mead(F f, std::array<double, 3> x0, double step, int max_iterations) {
  constexpr std::size_t n = 3;
  std::array<std::array<double, 3>, n + 1> x{};
  std::array<double, n + 1> fx{};
  for (std::size_t i = 0; i <= n; ++i) {
    x[i] = x0;
    if (i > 0) x[i][i - 1] += step;
    fx[i] = f(x[i]);
  }
  for (int it = 0; it < max_iterations; ++it) {
    std::array<std::size_t, n + 1> order{};
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fx[a] < fx[b]; });
    const auto best = order[0], worst = order[n], second = order[n - 1];
    if (std::abs(fx[worst] - fx[best]) <= 1e-11 * (std::abs(fx[best]) + 1e-8)) break;
    std::array<double, 3> centre{};
    for (std::size_t i = 0; i <= n; ++i)
      if (i != worst)
        for (std::size_t k = 0; k < n; ++k) centre[k] += x[i][k] / n;
    const auto along = [&](double t) {
      std::array<double, 3> p{};
      for (std::size_t k = 0; k < n; ++k) p[k] = centre[k] + t * (x[worst][k] - centre[k]);
      return p;
    };
    const auto xr = along(-1.0);
    const double fr = f(xr);
    if (fr < fx[best]) {
      const auto xe = along(-2.0);
      const double fe = f(xe);
      if (fe < fr)
        x[worst] = xe, fx[worst] = fe;
      else
        x[worst] = xr, fx[worst] = fr;
    } else if (fr < fx[second]) {
      x[worst] = xr, fx[worst] = fr;
    } else {
      const auto xc = fr < fx[worst] ? along(-0.5) : along(0.5);
      const double fc = f(xc);
      if (fc < std::min(fr, fx[worst])) {
        x[worst] = xc, fx[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= n; ++i) {
          if (i == best) continue;
          for (std::size_t k = 0; k < n; ++k) x[i][k] = x[best][k] + 0.5 * (x[i][k] - x[best][k]);
          fx[i] = f(x[i]);
        }
      }
    }
  }
  const auto best = static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
  return {x[best], fx[best]};
}

}  // namespace

double fit_negative_binomial_size(std::span<const double> y, std::span<const double> mu) {
  if (y.size() != mu.size()) throw std::invalid_argument("fit_negative_binomial_size: sizes differ");
  if (y.empty()) return infinity;
  const double log_size = golden_max([&](double s) { return nb_log_likelihood(y, mu, std::exp(s)); },
                                     std::log(min_size), std::log(max_size));
  const double size = std::exp(log_size);
  return nb_log_likelihood(y, mu, infinity) >= nb_log_likelihood(y, mu, size) - 1e-9 ? infinity : size;
}

// ---------------------------------------------------------------------------- seasonal naive

CountDistribution SeasonalNaive::forecast(YearMonth m) const {
  return CountDistribution::negative_binomial(std::max(last_year[static_cast<std::size_t>(m.month - 1)], 0.5), size);
}

SeasonalNaive fit_seasonal_naive(YearMonth first, std::span<const double> counts) {
  if (counts.size() < 13) throw std::invalid_argument("the seasonal naive needs at least 13 training months");
  SeasonalNaive s;
  s.first = first;
  s.months = static_cast<int>(counts.size());
  for (std::size_t t = counts.size() - 12; t < counts.size(); ++t)
    s.last_year[static_cast<std::size_t>(first.plus(static_cast<int>(t)).month - 1)] = counts[t];
  std::vector<double> y, mu;
  for (std::size_t t = 12; t < counts.size(); ++t) {
    y.push_back(counts[t]);
    mu.push_back(std::max(counts[t - 12], 0.5));
  }
  s.size = fit_negative_binomial_size(y, mu);
  return s;
}

// ------------------------------------------------------------- negative-binomial regression

double NbRegression::mean(YearMonth m) const {
  if (all_zero) return 0.5 / months;
  const int t = m.index() - first.index();
  const double x = (t - (months - 1) / 2.0) / 12.0;
  return std::exp(std::min(intercept + trend * x + month_effect[static_cast<std::size_t>(m.month - 1)], 30.0));
}

CountDistribution NbRegression::forecast(YearMonth m) const {
  return CountDistribution::negative_binomial(mean(m), size);
}

NbRegression fit_nb_regression(YearMonth first, std::span<const double> counts, double ridge) {
  constexpr std::size_t p = 14;  // intercept, trend, 12 month effects
  const std::size_t n = counts.size();
  if (n < 2) throw std::invalid_argument("the NB regression needs at least 2 training months");
  NbRegression fit;
  fit.first = first;
  fit.months = static_cast<int>(n);
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  if (total <= 0) {
    fit.all_zero = true;
    fit.size = infinity;
    fit.intercept = std::log(0.5 / static_cast<double>(n));
    return fit;
  }
  std::vector<double> x(n);
  std::vector<std::size_t> month(n);
  for (std::size_t t = 0; t < n; ++t) {
    x[t] = (static_cast<double>(t) - static_cast<double>(n - 1) / 2.0) / 12.0;
    month[t] = static_cast<std::size_t>(first.plus(static_cast<int>(t)).month - 1);
  }
  const auto means = [&](const std::vector<double>& b) {
    std::vector<double> mu(n);
    for (std::size_t t = 0; t < n; ++t) mu[t] = std::exp(std::min(b[0] + b[1] * x[t] + b[2 + month[t]], 30.0));
    return mu;
  };
  const auto penalty = [&](const std::vector<double>& b) {
    double s = 0;
    for (std::size_t k = 2; k < p; ++k) s += b[k] * b[k];
    return 0.5 * ridge * s;
  };
  // Penalised Fisher scoring for a fixed size; returns the penalised log-likelihood.
  const auto fit_beta = [&](double size, std::vector<double>& b) {
    double q = nb_log_likelihood(counts, means(b), size) - penalty(b);
    for (int it = 0; it < 100; ++it) {
      const auto mu = means(b);
      std::vector<double> h(p * p, 0.0), g(p, 0.0);
      for (std::size_t t = 0; t < n; ++t) {
        const double shrink = std::isinf(size) ? 1.0 : 1.0 / (1.0 + mu[t] / size);
        const double w = mu[t] * shrink, resid = (counts[t] - mu[t]) * shrink;
        const std::size_t cols[3] = {0, 1, 2 + month[t]};
        const double vals[3] = {1.0, x[t], 1.0};
        for (std::size_t i = 0; i < 3; ++i) {
          g[cols[i]] += vals[i] * resid;
          for (std::size_t j = 0; j < 3; ++j) h[cols[i] * p + cols[j]] += w * vals[i] * vals[j];
        }
      }
      for (std::size_t k = 2; k < p; ++k) {
        g[k] -= ridge * b[k];
        h[k * p + k] += ridge;
      }
      for (std::size_t k = 0; k < p; ++k) h[k * p + k] += 1e-10;  // keeps an unpenalised fit solvable
      const auto delta = solve(h, g);
      double step = 1.0, q_new = -infinity;
      std::vector<double> trial(p);
      for (int half = 0; half < 30; ++half, step /= 2) {
        for (std::size_t k = 0; k < p; ++k) trial[k] = b[k] + step * delta[k];
        q_new = nb_log_likelihood(counts, means(trial), size) - penalty(trial);
        if (q_new >= q - 1e-12) break;
      }
      if (!(q_new >= q - 1e-12)) break;
      const double change = q_new - q;
      b = trial;
      q = q_new;
      double largest = 0;
      for (const double d : delta) largest = std::max(largest, std::abs(step * d));
      if (largest < 1e-9 || change < 1e-12) break;
    }
    return q;
  };

  std::vector<double> b(p, 0.0);
  b[0] = std::log(total / static_cast<double>(n));
  std::vector<double> start = b;
  const double log_size = golden_max(
      [&](double s) {
        std::vector<double> bb = start;
        return fit_beta(std::exp(s), bb);
      },
      std::log(min_size), std::log(1e4), 60);
  std::vector<double> b_nb = start, b_poisson = start;
  const double q_nb = fit_beta(std::exp(log_size), b_nb);
  const double q_poisson = fit_beta(infinity, b_poisson);
  const bool poisson = q_poisson >= q_nb - 1e-9;
  b = poisson ? b_poisson : b_nb;
  fit.size = poisson ? infinity : std::exp(log_size);
  fit.intercept = b[0];
  fit.trend = b[1];
  for (std::size_t k = 0; k < 12; ++k) fit.month_effect[k] = b[2 + k];
  fit.log_likelihood = nb_log_likelihood(counts, means(b), fit.size);
  return fit;
}

// -------------------------------------------------------------------------------- Hawkes

double hawkes_log_likelihood(const HawkesParameters& p, std::span<const double> times, double window_days) {
  if (!(p.mu > 0) || !(p.beta > 0) || !(p.alpha >= 0)) return -infinity;
  double a = 0, sum_log = 0, compensator = p.mu * window_days;
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (i > 0) a = std::exp(-p.beta * (times[i] - times[i - 1])) * (1 + a);
    sum_log += std::log(p.mu + p.alpha * p.beta * a);
    compensator -= p.alpha * std::expm1(-p.beta * (window_days - times[i]));
  }
  return sum_log - compensator;
}

HawkesFit fit_hawkes(std::span<const double> times, double window_days) {
  HawkesFit fit;
  fit.events = times.size();
  fit.window_days = window_days;
  if (times.empty()) {
    fit.parameters = {0.5 / window_days, 0.0, 1.0 / 30};
    fit.log_likelihood = hawkes_log_likelihood(fit.parameters, times, window_days);
    return fit;
  }
  const double min_log_beta = std::log(1.0 / 3650), max_log_beta = std::log(24.0);
  const auto unpack = [](const std::array<double, 3>& th) {
    return HawkesParameters{std::exp(th[0]), hawkes_max_alpha / (1 + std::exp(-th[1])), std::exp(th[2])};
  };
  const auto objective = [&](const std::array<double, 3>& th) {
    if (th[2] < min_log_beta || th[2] > max_log_beta || std::abs(th[0]) > 40 || std::abs(th[1]) > 40) return 1e300;
    const double ll = hawkes_log_likelihood(unpack(th), times, window_days);
    return std::isfinite(ll) ? -ll : 1e300;
  };
  const double rate = static_cast<double>(times.size()) / window_days;
  std::pair<std::array<double, 3>, double> best{{}, infinity};
  for (const double beta0 : {1.0 / 30, 1.0 / 3, 1.0 / 300}) {
    auto r = nelder_mead(objective, {std::log(0.5 * rate), 0.0, std::log(beta0)}, 1.0, 2000);
    r = nelder_mead(objective, r.first, 0.3, 2000);  // restart: guards against a collapsed simplex
    if (r.second < best.second) best = r;
  }
  fit.parameters = unpack(best.first);
  fit.log_likelihood = -best.second;
  return fit;
}

std::vector<double> simulate_hawkes(const HawkesParameters& p, std::span<const double> history, double from, double to,
                                    RandomStream& rng) {
  double excitation = 0;  // sum of alpha beta exp(-beta (t - t_i)) at t = from
  for (const double t : history)
    if (t < from) excitation += p.alpha * p.beta * std::exp(-p.beta * (from - t));
  std::vector<double> out;
  double t = from;
  for (;;) {
    const double bound = p.mu + excitation;  // the intensity only decays until the next event
    const double wait = -std::log1p(-rng.uniform()) / bound;
    t += wait;
    if (t >= to) break;
    excitation *= std::exp(-p.beta * wait);
    if (rng.uniform() * bound <= p.mu + excitation) {
      out.push_back(t);
      excitation += p.alpha * p.beta;
    }
  }
  return out;
}

double days_between(YearMonth a, YearMonth b) {
  return static_cast<double>(to_day_number({b.year, b.month, 1}) - to_day_number({a.year, a.month, 1}));
}

std::vector<double> spread_monthly_counts(YearMonth first, std::span<const double> counts) {
  std::vector<double> times;
  for (std::size_t j = 0; j < counts.size(); ++j) {
    const auto m = first.plus(static_cast<int>(j));
    const double start = days_between(first, m), length = days_in_month(m.year, m.month);
    const auto n = std::llround(counts[j]);
    for (long long i = 0; i < n; ++i)
      times.push_back(start + (static_cast<double>(i) + 0.5) * length / static_cast<double>(n));
  }
  return times;
}

std::vector<std::vector<double>> hawkes_forecast(const HawkesFit& fit, std::span<const double> history, YearMonth first,
                                                 int training_months, int horizon, std::size_t samples,
                                                 std::uint64_t seed, std::uint64_t stream) {
  std::vector<double> bounds;  // month boundaries, days since the first day of `first`
  for (int h = 0; h <= horizon; ++h) bounds.push_back(days_between(first, first.plus(training_months + h)));
  std::vector<std::vector<double>> counts(static_cast<std::size_t>(horizon), std::vector<double>(samples, 0.0));
  for (std::size_t s = 0; s < samples; ++s) {
    RandomStream rng(seed, stream, Purpose::forecast_baseline, 0, s);
    for (const double t : simulate_hawkes(fit.parameters, history, bounds.front(), bounds.back(), rng)) {
      const auto h = static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), t) - bounds.begin()) - 1;
      counts[h][s] += 1;
    }
  }
  return counts;
}

}  // namespace iskabm
