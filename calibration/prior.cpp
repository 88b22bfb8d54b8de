#include "calibration/prior.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace iskabm {

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
}

std::string_view to_string(Prior::Kind k) noexcept {
  switch (k) {
    case Prior::Kind::uniform: return "uniform";
    case Prior::Kind::log_uniform: return "log_uniform";
    case Prior::Kind::normal: return "normal";
    case Prior::Kind::truncated_normal: return "truncated_normal";
  }
  return "?";
}

double Prior::lower() const noexcept { return kind == Kind::normal ? -inf : a; }
double Prior::upper() const noexcept { return kind == Kind::normal ? inf : b; }

double Prior::log_density(double x) const noexcept {
  if (!in_shape_support(x) || !in_range(x)) return -inf;
  switch (kind) {
    case Kind::uniform: return -std::log(b - a);
    case Kind::log_uniform: return -std::log(x) - std::log(std::log(b / a));
    case Kind::normal:
    case Kind::truncated_normal: {
      const double z = (x - mean) / sd;
      return -0.5 * z * z;  // the truncation constant does not depend on x
    }
  }
  return -inf;
}

double Prior::sample(RandomStream& rng) const {
  // Outside the parameter's range (a normal prior's far tail): drawn again from the same stream.
  for (int tries = 0; tries < 1000; ++tries) {
    const double x = sample_shape(rng);
    if (in_range(x)) return x;
  }
  return std::clamp(sample_shape(rng), valid_lower, valid_upper);
}

double Prior::sample_shape(RandomStream& rng) const {
  switch (kind) {
    case Kind::uniform: return a + (b - a) * rng.uniform();
    case Kind::log_uniform: return std::exp(std::log(a) + (std::log(b) - std::log(a)) * rng.uniform());
    case Kind::normal: return boost::random::normal_distribution<double>(mean, sd)(rng);
    case Kind::truncated_normal: return quantile(rng.uniform());  // exact however far in a tail [a, b] lies
  }
  return a;
}

double Prior::to_kernel_space(double x) const noexcept { return kind == Kind::log_uniform ? std::log(x) : x; }
double Prior::from_kernel_space(double u) const noexcept { return kind == Kind::log_uniform ? std::exp(u) : u; }
double Prior::log_density_in_kernel_space(double u) const noexcept {
  const double x = from_kernel_space(u);
  // log p_u(u) = log p_x(x) + log |dx/du|, and dx/du = x for u = log x.
  return kind == Kind::log_uniform ? log_density(x) + u : log_density(x);
}

double Prior::quantile(double p) const {
  switch (kind) {
    case Kind::uniform: return a + (b - a) * p;
    case Kind::log_uniform: return std::exp(std::log(a) + (std::log(b) - std::log(a)) * p);
    case Kind::normal: return boost::math::quantile(boost::math::normal(mean, sd), p);
    case Kind::truncated_normal: {
      const boost::math::normal n(mean, sd);
      const double lo = boost::math::cdf(n, a), hi = boost::math::cdf(n, b);
      return std::clamp(boost::math::quantile(n, lo + (hi - lo) * p), a, b);
    }
  }
  return a;
}

Prior Prior::truncated(double lo, double hi) const {
  Prior p = *this;
  if (kind == Kind::normal) {
    p.kind = Kind::truncated_normal;
    p.a = std::isfinite(lo) ? lo : mean - 10 * sd;
    p.b = std::isfinite(hi) ? hi : mean + 10 * sd;
  } else {
    p.a = std::max(a, lo);
    p.b = std::min(b, hi);
  }
  if (!(p.b > p.a)) throw std::invalid_argument(fmt::format("{} truncated to [{}, {}] is empty", describe(), lo, hi));
  return p;
}

std::string Prior::describe() const {
  switch (kind) {
    case Kind::uniform: return fmt::format("uniform({}, {})", a, b);
    case Kind::log_uniform: return fmt::format("log_uniform({}, {})", a, b);
    case Kind::normal: return fmt::format("normal({}, {})", mean, sd);
    case Kind::truncated_normal: return fmt::format("truncated_normal({}, {}, [{}, {}])", mean, sd, a, b);
  }
  return "?";
}

}  // namespace iskabm
