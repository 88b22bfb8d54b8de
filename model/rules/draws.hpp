#pragma once
// Random variates used by the rules, on a RandomStream, through Boost.Random's distributions
// (fixed algorithms: identical results across compilers and standard libraries).
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include <cstddef>
#include <span>

#include "model/random_stream.hpp"

namespace iskabm::rules {

inline int binomial(RandomStream& rng, int n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  return boost::random::binomial_distribution<int, double>(n, p)(rng);
}

inline int poisson(RandomStream& rng, double mean) {
  if (mean <= 0.0) return 0;
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
