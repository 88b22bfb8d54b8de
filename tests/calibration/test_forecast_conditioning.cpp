// Conditioning a forecast ensemble on the record: the kernel, the effective sample size and the
// deterministic systematic resampling (calibration/forecast_conditioning.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "calibration/forecast_conditioning.hpp"

using namespace iskabm;

TEST_CASE("conditioning: replicates that match equally keep equal weights and are all kept once",
          "[calibration][score]") {
  const std::vector<double> simulated{4, 1, 4, 1, 4, 1, 4, 1};  // 4 replicates x 2 countries
  const auto c = condition_on_record(simulated, 2, std::vector<double>{9, 0});
  REQUIRE(c.weights.size() == 4);
  for (const auto w : c.weights) CHECK(w == Approx(0.25));
  CHECK(c.effective_size == Approx(4));
  CHECK(c.resampled == std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("conditioning: the weight is exp(-sum of squared differences of square roots)", "[calibration][score]") {
  // Replicate 0 matches the record (4, 1); replicate 1 is one unit off on the square-root scale in
  // the first country (9: 3 against 2) and two in the second (9: 3 against 1).
  const std::vector<double> simulated{4, 1, 9, 9};
  const auto c = condition_on_record(simulated, 2, std::vector<double>{4, 1});
  const double w1 = std::exp(-(1.0 + 4.0));
  CHECK(c.weights[0] == Approx(1 / (1 + w1)));
  CHECK(c.weights[1] == Approx(w1 / (1 + w1)));
  CHECK(c.effective_size == Approx(1 / (c.weights[0] * c.weights[0] + c.weights[1] * c.weights[1])));
  CHECK(c.resampled == std::vector<std::size_t>{0, 0});  // offsets 0.25 and 0.75 both fall in replicate 0
}

TEST_CASE("conditioning: systematic resampling keeps each replicate about N w times, in order",
          "[calibration][score]") {
  // Ten replicates in one country, counts 0..9, record 4: the weights peak at 4.
  std::vector<double> simulated;
  for (int r = 0; r < 10; ++r) simulated.push_back(r);
  const auto c = condition_on_record(simulated, 1, std::vector<double>{4});
  REQUIRE(c.resampled.size() == 10);
  CHECK(std::is_sorted(c.resampled.begin(), c.resampled.end()));
  for (std::size_t r = 0; r < 10; ++r) {
    const auto kept = std::count(c.resampled.begin(), c.resampled.end(), r);
    CHECK(std::abs(static_cast<double>(kept) - 10 * c.weights[r]) < 1.0);  // systematic: |copies - N w| < 1
  }
  CHECK(std::count(c.resampled.begin(), c.resampled.end(), 4u) >= 2);
  CHECK(std::count(c.resampled.begin(), c.resampled.end(), 0u) == 0);
  CHECK(c.effective_size < 10);
  CHECK(c.effective_size > 1);
}

TEST_CASE("conditioning: sizes that do not match and negative counts are refused", "[calibration][score]") {
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{1, 2, 3}, 2, std::vector<double>{1, 1}),
                  std::invalid_argument);
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{1, 2}, 2, std::vector<double>{1}), std::invalid_argument);
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{}, 2, std::vector<double>{1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{1, -2}, 2, std::vector<double>{1, 1}),
                  std::invalid_argument);
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{1, std::numeric_limits<double>::quiet_NaN()}, 2, std::vector<double>{1, 1}),
                  std::invalid_argument);
}

TEST_CASE("conditioning: an infinite count is refused", "[calibration][score]") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(condition_on_record(std::vector<double>{1, 1}, 2, std::vector<double>{inf, 1}),
                  std::invalid_argument);
}
