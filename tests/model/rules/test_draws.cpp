// The binomial and Poisson draws of the rules (model/rules/draws.hpp) are Boost's, bit for bit:
// the shortcut for 0 must never change a draw or the number of random numbers consumed. Each
// case draws from two copies of one stream, one through the rules and one through Boost, and
// then compares a further raw number from each (same position in the stream).
#include <catch2/catch.hpp>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

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
