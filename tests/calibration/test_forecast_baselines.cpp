// The forecast baselines: known parameters recovered from simulated data, and the seasonal naive
// and event-spreading rules by hand.
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "calibration/forecast_baselines.hpp"

using namespace iskabm;

TEST_CASE("forecast baselines: the NB regression recovers a known trend, month effects and size",
          "[calibration][baselines]") {
  const YearMonth first{2000, 1};
  const int months = 360;
  const double intercept = std::log(30.0), trend = 0.03, size = 20.0;
  std::array<double, 12> effect{};
  for (int m = 0; m < 12; ++m) effect[static_cast<std::size_t>(m)] = 0.4 * std::sin(2 * std::numbers::pi * m / 12);
  RandomStream rng(11, 0, Purpose::forecast_baseline, 0, 0);
  std::vector<double> y;
  std::array<double, 12> detrended{};  // the sample's own month effects (mean count / trend)
  for (int t = 0; t < months; ++t) {
    const double x = (t - (months - 1) / 2.0) / 12.0;
    const double mu = std::exp(intercept + trend * x + effect[static_cast<std::size_t>(t % 12)]);
    const double lambda = boost::random::gamma_distribution<double>(size, mu / size)(rng);
    y.push_back(boost::random::poisson_distribution<int, double>(lambda)(rng));
    detrended[static_cast<std::size_t>(t % 12)] += y.back() / std::exp(intercept + trend * x) / (months / 12);
  }
  const auto fit = fit_nb_regression(first, y);
  CHECK(fit.trend == Approx(trend).margin(0.01));
  CHECK(fit.intercept == Approx(intercept).margin(0.1));
  for (std::size_t m = 0; m < 12; ++m) {
    INFO("month " << m + 1);
    CHECK(fit.month_effect[m] == Approx(effect[m]).margin(0.2));  // sampling error: standard error ~0.05
    CHECK(fit.month_effect[m] == Approx(std::log(detrended[m])).margin(0.03));
  }
  CHECK(fit.size > 12.0);
  CHECK(fit.size < 35.0);
  // Forecast one year past the window: the fitted mean carries trend and season on.
  const YearMonth ahead{2030, 4};
  const double x_ahead = (ahead.index() - first.index() - (months - 1) / 2.0) / 12.0;
  CHECK(fit.mean(ahead) == Approx(std::exp(intercept + trend * x_ahead + effect[3])).epsilon(0.2));
  CHECK(fit.forecast(ahead).size() == Approx(fit.size));
}

TEST_CASE("forecast baselines: the NB regression of Poisson counts chooses the Poisson, of zeros the zero-rate rule",
          "[calibration][baselines]") {
  RandomStream rng(12, 0, Purpose::forecast_baseline, 0, 0);
  std::vector<double> y;
  for (int t = 0; t < 120; ++t) y.push_back(boost::random::poisson_distribution<int, double>(20.0)(rng));
  const auto fit = fit_nb_regression({2010, 1}, y);
  CHECK((std::isinf(fit.size) || fit.size > 50));
  CHECK(fit.trend == Approx(0.0).margin(0.03));
  const auto zeros = fit_nb_regression({2010, 1}, std::vector<double>(30, 0.0));
  CHECK(zeros.all_zero);
  CHECK(zeros.mean({2013, 1}) == Approx(0.5 / 30));
}

TEST_CASE("forecast baselines: seasonal naive forecasts last year's month with fitted dispersion",
          "[calibration][baselines]") {
  // Two identical years: no error at all -> Poisson.
  std::vector<double> y{1, 0, 3, 4, 2, 6, 5, 2, 0, 1, 7, 3};
  auto two = y;
  two.insert(two.end(), y.begin(), y.end());
  const auto s = fit_seasonal_naive({2016, 1}, two);
  CHECK(std::isinf(s.size));
  CHECK(s.forecast({2018, 3}).mean() == Approx(3.0));
  CHECK(s.forecast({2019, 11}).mean() == Approx(7.0));
  CHECK(s.forecast({2018, 2}).mean() == Approx(0.5));  // zero-rate rule
  // A training window starting in July: the last twelve months still give each calendar month.
  const auto shifted = fit_seasonal_naive({2015, 7}, two);
  CHECK(shifted.forecast({2017, 7}).mean() == Approx(1.0));
  CHECK(shifted.forecast({2018, 6}).mean() == Approx(3.0));
  // Overdispersed errors: a finite size.
  std::vector<double> noisy = y;
  for (const double v : {9.0, 0.0, 0.0, 12.0, 0.0, 1.0, 15.0, 0.0, 6.0, 0.0, 0.0, 14.0}) noisy.push_back(v);
  CHECK(std::isfinite(fit_seasonal_naive({2016, 1}, noisy).size));
}

TEST_CASE("forecast baselines: the Hawkes log-likelihood recursion matches the direct sum",
          "[calibration][baselines]") {
  const std::vector<double> t{0.5, 1.2, 1.3, 4.0, 9.5, 9.6, 9.65};
  const double T = 12;
  const HawkesParameters p{0.3, 0.5, 1.7};
  double direct = -p.mu * T;
  for (std::size_t i = 0; i < t.size(); ++i) {
    double lambda = p.mu;
    for (std::size_t j = 0; j < i; ++j) lambda += p.alpha * p.beta * std::exp(-p.beta * (t[i] - t[j]));
    direct += std::log(lambda) - p.alpha * (1 - std::exp(-p.beta * (T - t[i])));
  }
  CHECK(hawkes_log_likelihood(p, t, T) == Approx(direct).epsilon(1e-12));
}

TEST_CASE("forecast baselines: the Hawkes maximum-likelihood fit recovers mu, alpha and beta",
          "[calibration][baselines]") {
  const HawkesParameters truth{0.5, 0.6, 1.0};
  const double T = 2000;
  RandomStream rng(7, 0, Purpose::forecast_baseline, 0, 0);
  const auto times = simulate_hawkes(truth, {}, 0, T, rng);
  REQUIRE(times.size() > 2000);  // expected mu T / (1 - alpha) = 2500
  REQUIRE(times.size() < 3000);
  const auto fit = fit_hawkes(times, T);
  CHECK(fit.parameters.mu == Approx(truth.mu).epsilon(0.2));
  CHECK(fit.parameters.alpha == Approx(truth.alpha).margin(0.08));
  CHECK(fit.parameters.beta == Approx(truth.beta).epsilon(0.3));
  CHECK(fit.parameters.alpha < hawkes_max_alpha);
  CHECK(fit.log_likelihood >= hawkes_log_likelihood(truth, times, T));
}

TEST_CASE("forecast baselines: monthly counts become evenly spread event times", "[calibration][baselines]") {
  const auto t = spread_monthly_counts({2015, 1}, std::vector<double>{2, 1, 0});
  REQUIRE(t.size() == 3);
  CHECK(t[0] == Approx(0.25 * 31));
  CHECK(t[1] == Approx(0.75 * 31));
  CHECK(t[2] == Approx(31 + 14));
  CHECK(days_between({2015, 1}, {2016, 1}) == 365);
}

TEST_CASE("forecast baselines: Hawkes forecasts are reproducible and a Poisson process has its mean",
          "[calibration][baselines]") {
  HawkesFit fit;
  fit.parameters = {0.2, 0.0, 1.0};  // no excitation: Poisson process with 0.2 events a day
  const auto a = hawkes_forecast(fit, {}, {2015, 1}, 24, 3, 4000, 5, 0);
  const auto b = hawkes_forecast(fit, {}, {2015, 1}, 24, 3, 4000, 5, 0);
  CHECK(a == b);
  REQUIRE(a.size() == 3);
  const double days[] = {31, 28, 31};  // January - March 2017
  for (std::size_t h = 0; h < 3; ++h) {
    double mean = 0;
    for (const double c : a[h]) mean += c / 4000;
    CHECK(mean == Approx(0.2 * days[h]).epsilon(0.05));
  }
  // Excitation from the history raises the first month's forecast.
  fit.parameters = {0.2, 0.5, 0.1};
  const std::vector<double> history{725, 726, 727, 728, 729};
  const auto excited = hawkes_forecast(fit, history, {2015, 1}, 24, 1, 4000, 5, 0);
  double mean = 0;
  for (const double c : excited[0]) mean += c / 4000;
  CHECK(mean > 0.2 * 31 + 1);
}
