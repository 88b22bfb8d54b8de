// The binomial and Poisson draws of the rules (model/rules/draws.hpp) are Boost's, bit for bit:
// the shortcut for 0 must never change a draw or the number of random numbers consumed. Each
// case draws from two copies of one stream, one through the rules and one through Boost, and
// then compares a further raw number from each (same position in the stream).
#include <catch2/catch.hpp>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "model/rules/draws.hpp"

using namespace iskabm;

namespace {

RandomStream stream(std::uint64_t entity) { return RandomStream(20150126, 3, Purpose::attrition, 77, entity); }

}  // namespace

TEST_CASE("draws: binomial is Boost's binomial_distribution, draw for draw", "[model][draws]") {
  const int ns[] = {1, 2, 3, 5, 8, 13, 40, 100, 1000, 20000};
  const double ps[] = {1e-15, 1e-9, 1e-6, 1e-4, 1e-3, 0.005, 0.02, 0.05, 0.1, 0.3, 0.5, 0.51, 0.9, 0.999};
  std::uint64_t entity = 0, zeros = 0, draws = 0;
  for (const int n : ns)
    for (const double p : ps) {
      auto ours = stream(++entity), boosts = stream(entity);
      for (int k = 0; k < 400; ++k) {
        const int a = rules::binomial(ours, n, p);
        const int b = boost::random::binomial_distribution<int, double>(n, p)(boosts);
        if (a != b) FAIL("binomial(" << n << ", " << p << ") draw " << k << ": " << a << " against Boost's " << b);
        zeros += a == 0;
        ++draws;
      }
      REQUIRE(ours() == boosts());  // as many random numbers consumed
    }
  CHECK(zeros > draws / 4);  // the shortcut's case is well exercised
  auto s = stream(0);
  CHECK(rules::binomial(s, 0, 0.3) == 0);
  CHECK(rules::binomial(s, 5, 0.0) == 0);
  CHECK(rules::binomial(s, 5, 1.0) == 5);
}

TEST_CASE("draws: Poisson is Boost's poisson_distribution, draw for draw", "[model][draws]") {
  const double means[] = {1e-15, 1e-9, 1e-6, 1e-3, 0.01, 0.1, 0.5, 1, 2.5, 6, 9.999, 10, 25, 300};
  std::uint64_t entity = 1000;
  for (const double mean : means) {
    auto ours = stream(++entity), boosts = stream(entity);
    for (int k = 0; k < 2000; ++k) {
      const int a = rules::poisson(ours, mean);
      const int b = boost::random::poisson_distribution<int, double>(mean)(boosts);
      if (a != b) FAIL("poisson(" << mean << ") draw " << k << ": " << a << " against Boost's " << b);
    }
    REQUIRE(ours() == boosts());
  }
  auto s = stream(0);
  CHECK(rules::poisson(s, 0.0) == 0);
  CHECK(rules::poisson(s, -1.0) == 0);
}

namespace {

// An engine that returns one chosen number, so that Boost's uniform_01 gives a chosen u.
struct FixedEngine {
  using result_type = std::uint64_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return UINT64_MAX; }
  result_type value = 0;
  result_type operator()() noexcept { return value; }
};

// The engine value whose uniform is nearest u (u in [0, 1)).
FixedEngine at(double u) { return {static_cast<std::uint64_t>(std::ldexp(u, 64))}; }

}  // namespace

TEST_CASE("draws: at the shortcut's bound and at P(0), the draw is still Boost's", "[model][draws]") {
  // Uniforms just below, at and above the bound 1 - n p - 4 (n + 2) eps and P(0) = (1 - p)^n,
  // where a bound that were too high would return 0 and Boost would not.
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const int ns[] = {1, 2, 7, 30, 400, 5000, 1000000};
  const double ps[] = {1e-13, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 0.4};
  int checked = 0;
  for (const int n : ns)
    for (const double p : ps) {
      if (!(p <= 0.5 && static_cast<int>((n + 1) * p) < 11)) continue;  // Boost's BTRD branch: not ours
      const double bound = 1.0 - n * p - 4.0 * (n + 2.0) * eps, p0 = std::pow(1 - p, static_cast<double>(n));
      REQUIRE(bound <= p0);  // the inequality the shortcut rests on, rounding included
      for (const double centre : {bound, p0})
        for (const double delta : {-1e-15, -1e-16, 0.0, 1e-16, 1e-15, 1e-9}) {
          const double u = centre + delta;
          if (!(u >= 0 && u < 1)) continue;
          auto ours = at(u), boosts = at(u);
          const int a = rules::binomial(ours, n, p);
          const int b = boost::random::binomial_distribution<int, double>(n, p)(boosts);
          if (a != b) FAIL("binomial(" << n << ", " << p << ") at u = " << u << ": " << a << " against " << b);
          ++checked;
        }
    }
  CHECK(checked > 200);
  for (const double mean : {1e-12, 1e-6, 1e-3, 0.1, 1.0, 5.0, 9.9}) {
    const double bound = 1.0 - mean - 4 * eps, p0 = std::exp(-mean);
    REQUIRE(bound <= p0);
    for (const double centre : {bound, p0})
      for (const double delta : {-1e-15, -1e-16, 0.0, 1e-16, 1e-15, 1e-9}) {
        const double u = centre + delta;
        if (!(u >= 0 && u < 1)) continue;
        auto ours = at(u), boosts = at(u);
        CHECK(rules::poisson(ours, mean) == boost::random::poisson_distribution<int, double>(mean)(boosts));
      }
  }
}
