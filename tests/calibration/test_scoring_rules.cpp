// Scoring rules against hand-computed values and closed forms.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "calibration/scoring_rules.hpp"

using namespace iskabm;

namespace {

// Closed form of the Poisson CRPS (Wei & Held 2014, eq. 8).
double poisson_crps_closed_form(double lambda, int y) {
  double f = 0, F = 0;
  for (int k = 0; k <= y; ++k) {
    f = std::exp(k * std::log(lambda) - lambda - std::lgamma(k + 1.0));
    F += f;
  }
  return (y - lambda) * (2 * F - 1) + 2 * lambda * f -
         lambda * std::exp(-2 * lambda) * (std::cyl_bessel_i(0.0, 2 * lambda) + std::cyl_bessel_i(1.0, 2 * lambda));
}

}  // namespace

TEST_CASE("scoring rules: the CRPS of a point mass is the absolute error", "[calibration][scoring]") {
  CHECK(crps_sample(std::vector<double>{3, 3, 3}, 5) == Approx(2.0));
  CHECK(crps_sample(std::vector<double>{7}, 2) == Approx(5.0));
  CHECK(crps_sample(std::vector<double>{4, 4}, 4) == Approx(0.0).margin(1e-15));
  CHECK(crps(CountDistribution::poisson(0), 4) == Approx(4.0));
  CHECK(crps(CountDistribution::poisson(0), 0) == Approx(0.0).margin(1e-15));
}

TEST_CASE("scoring rules: the CRPS of a sample is that of its empirical distribution", "[calibration][scoring]") {
  // Sample {0, 1, 1, 4}, y = 2: E|X - y| = 1.5, E|X - X'| = 24 / 16 = 1.5, CRPS = 1.5 - 0.75 = 0.75;
  // by the step-function sum: .25^2 + .75^2 + .25^2 + .25^2 + 0 = 0.75.
  CHECK(crps_sample(std::vector<double>{4, 1, 0, 1}, 2) == Approx(0.75));
  // Sample {0, 0, 5}, y = 0: 5/3 - (1/9)(-2*0 + 0*0 + 2*5) = 5/3 - 10/9 = 5/9.
  CHECK(crps_sample(std::vector<double>{0, 5, 0}, 0) == Approx(5.0 / 9));
}

TEST_CASE("scoring rules: the CRPS of a Poisson matches its closed form", "[calibration][scoring]") {
  for (const double lambda : {0.3, 2.0, 7.5, 40.0})
    for (const int y : {0, 1, 3, 8, 60}) {
      INFO("lambda " << lambda << ", y " << y);
      CHECK(crps(CountDistribution::poisson(lambda), y) == Approx(poisson_crps_closed_form(lambda, y)).epsilon(1e-9));
    }
}

TEST_CASE("scoring rules: the CRPS of a negative binomial matches a brute-force sum", "[calibration][scoring]") {
  for (const double size : {0.2, 1.0, 6.0}) {
    const auto f = CountDistribution::negative_binomial(5.0, size);
    for (const int y : {0, 4, 30}) {
      double F = 0, brute = 0;
      for (int k = 0; k < 20000; ++k) {
        F += std::exp(f.log_pmf(k));
        brute += (F - (k >= y)) * (F - (k >= y));
      }
      INFO("size " << size << ", y " << y);
      CHECK(crps(f, y) == Approx(brute).epsilon(1e-9));
    }
  }
}

TEST_CASE("scoring rules: log scores of Poisson, negative binomial and moment-matched samples",
          "[calibration][scoring]") {
  CHECK(score(CountDistribution::poisson(2), 3).log_score == Approx(2 - std::log(8.0 / 6)));
  // NB(mean 2, size 1) is geometric: p(k) = (1/3)(2/3)^k.
  CHECK(score(CountDistribution::negative_binomial(2, 1), 3).log_score == Approx(-std::log(8.0 / 81)));
  CHECK(CountDistribution::negative_binomial(2, 1).variance() == Approx(6.0));
  // {0, 2, 4}: mean 2, variance 4 -> size 2^2 / (4 - 2) = 2.
  const auto nb = CountDistribution::moment_matched(std::vector<double>{0, 2, 4});
  CHECK(nb.mean() == Approx(2.0));
  CHECK(nb.size() == Approx(2.0));
  // {1, 2, 3}: variance 1 < mean 2 -> Poisson(2).
  CHECK(CountDistribution::moment_matched(std::vector<double>{1, 2, 3}).is_poisson());
  CHECK(score_sample({1, 2, 3}, 3).log_score == Approx(2 - std::log(8.0 / 6)));
  // All zeros: Poisson(0.5 / n), finite for any observation.
  const auto zero = score_sample({0, 0, 0, 0}, 1);
  CHECK(zero.log_score == Approx(0.125 - std::log(0.125)));
  CHECK(score_sample({0, 0, 0, 0}, 0).log_score == Approx(0.125));
}

TEST_CASE("scoring rules: central interval coverage from lower quantiles", "[calibration][scoring]") {
  std::vector<double> sample;
  for (int i = 1; i <= 100; ++i) sample.push_back(i);
  CHECK(sample_quantile(sample, 0.25) == 25);
  CHECK(sample_quantile(sample, 0.05) == 5);
  CHECK(sample_quantile(sample, 0.95) == 95);
  CHECK(score_sample(sample, 25).in50);
  CHECK_FALSE(score_sample(sample, 76).in50);
  CHECK(score_sample(sample, 76).in90);
  CHECK_FALSE(score_sample(sample, 96).in90);
  CHECK(score_sample(sample, 50).mean == Approx(50.5));

  // Poisson(3): F = .050 .199 .423 .647 .815 .916 .966 -> q05 = 1, q25 = 2, q75 = 4, q95 = 6.
  const auto p3 = CountDistribution::poisson(3);
  CHECK(quantile(p3, 0.05) == 1);
  CHECK(quantile(p3, 0.25) == 2);
  CHECK(quantile(p3, 0.75) == 4);
  CHECK(quantile(p3, 0.95) == 6);
  CHECK(score(p3, 6).in90);
  CHECK_FALSE(score(p3, 6).in50);
  CHECK_FALSE(score(p3, 7).in90);
  CHECK_FALSE(score(p3, 0).in90);
  CHECK(score(p3, 2).in50);
  // A point mass at 0 covers exactly 0.
  CHECK(score(CountDistribution::poisson(0), 0).in50);
  CHECK_FALSE(score(CountDistribution::poisson(0), 1).in90);
}

TEST_CASE("scoring rules: thinning a negative binomial scales its mean and keeps its size", "[calibration][scoring]") {
  const auto f = CountDistribution::negative_binomial(10, 3).thinned(0.25);
  CHECK(f.mean() == Approx(2.5));
  CHECK(f.size() == Approx(3.0));
  CHECK(CountDistribution::poisson(8).thinned(0.5).is_poisson());
}
