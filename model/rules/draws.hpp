#pragma once
// Random variates used by the rules, on a RandomStream, through Boost.Random's distributions
// (fixed algorithms: identical results across compilers and standard libraries).
//
// Binomial and Poisson draws with a small mean are Boost's inversion algorithms, written out here
// with one exact shortcut (issue 22): inversion draws u and returns 0 when u <= P(0), and P(0)
// costs a pow (binomial: (1 - p)^n) or an exp (Poisson: e^-mean) for every draw — most of the
// model's draws, which are mostly 0 (a cell loses or recruits nobody on most days). P(0) is
// bounded below by 1 - n p (Bernoulli's inequality) and 1 - mean (e^-x >= 1 - x); with a margin
// for the rounding of pow, exp and 1 - p, a u below the bound returns 0 without computing P(0).
// Above it, the rest of Boost's algorithm runs as Boost runs it, from the same u. The results are
// bit-identical to Boost's (tests/model/rules/test_draws.cpp compares them draw by draw, and the golden
// files are unchanged); only the cost changes.
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include "model/random_stream.hpp"

namespace iskabm::rules {

namespace detail {

inline constexpr double rounding = std::numeric_limits<double>::epsilon();

// The rest of Boost's binomial invert() from its uniform u, for p <= 0.5 and (n + 1) p < 11,
// once u is above the bound (rarely: out of line, so the common path stays small and inlined).
[[gnu::noinline]] inline int binomial_inversion_from(double u, int n, double p) {
  const double q = 1 - p, s = p / q, a = (n + 1) * s;
  double r = std::pow(1 - p, static_cast<double>(n));
  int x = 0;
  while (u > r) {
    u = u - r;
    ++x;
    const double r1 = ((a / x) - s) * r;
    if (r1 < std::numeric_limits<double>::epsilon() && r1 < r) break;
    r = r1;
  }
  return x;
}

// The rest of Boost's Poisson invert() from its uniform u, for mean < 10.
[[gnu::noinline]] inline int poisson_inversion_from(double u, double mean) {
  double p = std::exp(-mean);
  int x = 0;
  while (u > p) {
    u = u - p;
    ++x;
    p = mean * p / x;
  }
  return x;
}

}  // namespace detail

// boost::random::binomial_distribution<int, double>(n, p)(rng), bit for bit.
template <class Engine = RandomStream>
[[gnu::always_inline]] inline int binomial(Engine& rng, int n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  if (p <= 0.5 && static_cast<int>((n + 1) * p) < 11) {  // Boost's inversion branch
    const double u = boost::random::uniform_01<double>()(rng);
    // (1 - p)^n >= 1 - n p; pow's error (< 1 ulp), that of 1 - p (n ulps after the power) and
    // this line's own are far inside 4 (n + 2) ulps.
    if (u <= 1.0 - n * p - 4.0 * (static_cast<double>(n) + 2) * detail::rounding) return 0;
    return detail::binomial_inversion_from(u, n, p);
  }
  return boost::random::binomial_distribution<int, double>(n, p)(rng);
}

// boost::random::poisson_distribution<int, double>(mean)(rng), bit for bit.
template <class Engine = RandomStream>
[[gnu::always_inline]] inline int poisson(Engine& rng, double mean) {
  if (mean <= 0.0) return 0;
  if (mean < 10) {  // Boost's inversion branch
    const double u = boost::random::uniform_01<double>()(rng);
    if (u <= 1.0 - mean - 4.0 * detail::rounding) return 0;  // e^-mean >= 1 - mean; exp's error < 1 ulp
    return detail::poisson_inversion_from(u, mean);
  }
  return boost::random::poisson_distribution<int, double>(mean)(rng);
}

inline double standard_normal(RandomStream& rng) { return boost::random::normal_distribution<double>(0.0, 1.0)(rng); }

// Index drawn with probability proportional to weights (all >= 0, sum > 0).
template <std::size_t N>
std::size_t categorical(RandomStream& rng, const double (&w)[N]) {
  double total = 0;
  for (double x : w) total += x;
  double u = rng.uniform() * total;
  for (std::size_t i = 0; i < N; ++i) {
    if (u < w[i]) return i;
    u -= w[i];
  }
  for (std::size_t i = N; i-- > 0;)
    if (w[i] > 0) return i;
  return 0;
}

}  // namespace iskabm::rules
