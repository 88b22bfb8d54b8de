// The Monte Carlo error of an ensemble's medians: the bootstrap over replicates against the
// large-sample standard error of a median, its determinism, and the replicates a precision needs.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "model/random_stream.hpp"
#include "statistics/monte_carlo_error.hpp"

using namespace iskabm;

namespace {
// n standard-normal values (Box-Muller on a test stream).
std::vector<double> normal_values(std::size_t n, std::uint64_t seed) {
  RandomStream rng(seed, 0, Purpose::season, 0, 0);
  std::vector<double> v(n);
  for (auto& x : v) {
    const double u = 1.0 - rng.uniform(), w = rng.uniform();
    x = std::sqrt(-2 * std::log(u)) * std::cos(2 * std::numbers::pi * w);
  }
  return v;
}
}  // namespace

TEST_CASE("the bootstrap error of a median matches the large-sample standard error", "[monte_carlo_error]") {
  // For a normal sample the median's standard error is sqrt(pi/2) sigma / sqrt(n); averaged over
  // samples, the bootstrap estimate is within 15 % of it.
  for (const std::size_t n : {100u, 400u}) {
    const ReplicateBootstrap bootstrap(n);
    double mean_error = 0;
    const int samples = 20;
    for (int s = 0; s < samples; ++s) mean_error += bootstrap.median_error(normal_values(n, 100 + s)) / samples;
    const double expected = std::sqrt(std::numbers::pi / 2) / std::sqrt(static_cast<double>(n));
    CHECK(mean_error == Approx(expected).epsilon(0.15));
  }
}

TEST_CASE("the bootstrap error is deterministic, scales, and is zero for constant values", "[monte_carlo_error]") {
  const auto v = normal_values(200, 7);
  const ReplicateBootstrap a(200), b(200);
  CHECK(a.median_error(v) == b.median_error(v));  // bit for bit: keyed by the number of replicates only
  auto scaled = v;
  for (auto& x : scaled) x = 10 * x + 3;
  CHECK(a.median_error(scaled) == Approx(10 * a.median_error(v)).epsilon(1e-9));
  CHECK(a.median_error(std::vector<double>(200, 42.0)) == 0.0);
  CHECK(std::isnan(ReplicateBootstrap(1).median_error(std::vector<double>{3.0})));
  CHECK(std::isnan(ReplicateBootstrap(3).median_error(std::vector<double>{1.0, std::nan(""), 1.0})));
  CHECK(ReplicateBootstrap(50).median_error(std::vector<double>(50, 0.3)) == 0.0);
  CHECK_THROWS(a.median_error(std::vector<double>(199, 0.0)));
}

TEST_CASE("the replicates a precision needs grow with the square of the error ratio", "[monte_carlo_error]") {
  CHECK(replicates_for_precision(100, 10, 5) == 400);
  CHECK(replicates_for_precision(100, 3, 5) == 100);  // already precise enough
  CHECK(replicates_for_precision(40, 6, 4) == 90);
  CHECK(replicates_for_precision(100, std::nan(""), 5) == 0);
  CHECK(replicates_for_precision(100, 5, 0) == 0);
}
