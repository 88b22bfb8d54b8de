#pragma once
// Statistical baselines for monthly count forecasts, each fitted on a training window of
// consecutive months and forecasting later months (docs/scoring.md):
//   - seasonal naive: the count of the same calendar month in the last training year, as the mean
//     of a negative binomial whose size is fitted by maximum likelihood to the training months'
//     own seasonal-naive errors (Poisson when they are not overdispersed);
//   - negative-binomial regression: log mean = intercept + trend x years + month-of-year effect,
//     fitted by penalised maximum likelihood (Fisher scoring, the size profiled out), with a ridge
//     penalty (lambda / 2) sum(effect^2) on the twelve month effects;
//   - Hawkes process with exponential kernel, lambda(t) = mu + sum_{t_i < t} alpha beta
//     exp(-beta (t - t_i)) with t in days, fitted by maximum likelihood (Nelder-Mead on
//     log mu, logit(alpha / 0.99), log beta; alpha < 0.99 keeps it stationary), forecast by
//     simulation (Ogata's thinning) continuing the training history.
// Zero-rate rule: a mean estimated as 0 from n observations becomes 0.5 / n (half an event), so
// no baseline puts all its mass on zero.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "calibration/observed_series.hpp"
#include "calibration/scoring_rules.hpp"
#include "model/random_stream.hpp"

namespace iskabm {

// Maximum-likelihood negative binomial size for counts y with known means mu; +infinity (the
// Poisson) when the counts are not overdispersed. Searched on [0.01, 1e6].
[[nodiscard]] double fit_negative_binomial_size(std::span<const double> y, std::span<const double> mu);

// ---------------------------------------------------------------------------- seasonal naive

struct SeasonalNaive {
  YearMonth first;                     // first training month
  int months = 0;                      // training months
  std::array<double, 12> last_year{};  // the last training count of each calendar month
  double size = 0;                     // NB size (+infinity: Poisson)

  // Mean: the same calendar month's last training count (0 -> 0.5, the zero-rate rule).
  [[nodiscard]] CountDistribution forecast(YearMonth m) const;
};
// Needs at least 13 months (12 for the seasonal values, one more for the dispersion).
[[nodiscard]] SeasonalNaive fit_seasonal_naive(YearMonth first, std::span<const double> counts);

// ------------------------------------------------------------- negative-binomial regression

struct NbRegression {
  YearMonth first;
  int months = 0;
  double intercept = 0;                   // log mean at the middle of the training window ...
  double trend = 0;                       // ... + trend x (years from the middle) ...
  std::array<double, 12> month_effect{};  // ... + the calendar month's effect
  double size = 0;                        // +infinity: Poisson
  double log_likelihood = 0;              // unpenalised, at the estimate
  bool all_zero = false;                  // no training events: Poisson(0.5 / months)

  [[nodiscard]] double mean(YearMonth m) const;
  [[nodiscard]] CountDistribution forecast(YearMonth m) const;
};
[[nodiscard]] NbRegression fit_nb_regression(YearMonth first, std::span<const double> counts, double ridge = 1.0);

// -------------------------------------------------------------------------------- Hawkes

struct HawkesParameters {
  double mu = 0;     // background rate, events per day
  double alpha = 0;  // branching ratio: expected direct offspring per event (< 1)
  double beta = 0;   // kernel decay rate, per day
};
inline constexpr double hawkes_max_alpha = 0.99;

// Log-likelihood of sorted event times in [0, window_days) (O(n) recursion).
[[nodiscard]] double hawkes_log_likelihood(const HawkesParameters& p, std::span<const double> times,
                                           double window_days);

struct HawkesFit {
  HawkesParameters parameters;
  double log_likelihood = 0;
  std::size_t events = 0;
  double window_days = 0;
};
// Maximum likelihood for sorted times in [0, window_days). No events: mu = 0.5 / window_days.
[[nodiscard]] HawkesFit fit_hawkes(std::span<const double> times, double window_days);

// Continues `history` (sorted times before `from`) with the events of [from, to).
[[nodiscard]] std::vector<double> simulate_hawkes(const HawkesParameters& p, std::span<const double> history,
                                                  double from, double to, RandomStream& rng);

// Monthly counts as event times: the n events of a month at (i + 0.5) / n of the way through it,
// in days since the first day of `first`.
[[nodiscard]] std::vector<double> spread_monthly_counts(YearMonth first, std::span<const double> counts);
// Days from the first day of `a` to the first day of `b`.
[[nodiscard]] double days_between(YearMonth a, YearMonth b);

// A Hawkes forecast of the `horizon` months after the training window: result[h][s] is the count
// of month h in sample s. Sample s draws from RandomStream(seed, stream, Purpose::forecast_baseline,
// 0, s).
[[nodiscard]] std::vector<std::vector<double>> hawkes_forecast(const HawkesFit& fit, std::span<const double> history,
                                                               YearMonth first, int training_months, int horizon,
                                                               std::size_t samples, std::uint64_t seed,
                                                               std::uint64_t stream);

}  // namespace iskabm
