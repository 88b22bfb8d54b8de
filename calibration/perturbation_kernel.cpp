#include "calibration/perturbation_kernel.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include "base/errors.hpp"

namespace iskabm {

std::string_view to_string(AbcKernel k) noexcept {
  switch (k) {
    case AbcKernel::local: return "local";
    case AbcKernel::global: return "global";
    case AbcKernel::component: return "component";
  }
  return "?";
}

double log_sum_exp(const std::vector<double>& v) {
  const double m = *std::max_element(v.begin(), v.end());
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

namespace {

using Matrix = std::vector<double>;

// Lower-triangular Cholesky factor of a symmetric positive-definite matrix; adds jitter if needed.
Matrix cholesky(const Matrix& a, std::size_t k) {
  for (double jitter = 0;; jitter = jitter == 0 ? 1e-12 : jitter * 10) {
    Matrix l(k * k, 0.0);
    bool ok = true;
    for (std::size_t i = 0; i < k && ok; ++i)
      for (std::size_t j = 0; j <= i; ++j) {
        double s = a[i * k + j] + (i == j ? jitter * std::max(1.0, std::abs(a[i * k + i])) : 0.0);
        for (std::size_t p = 0; p < j; ++p) s -= l[i * k + p] * l[j * k + p];
        if (i == j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          l[i * k + i] = std::sqrt(s);
        } else {
          l[i * k + j] = s / l[j * k + j];
        }
      }
    if (ok) return l;
    if (jitter > 1) throw Error("ABC-SMC: the population covariance is degenerate");
  }
}

// Squared Mahalanobis distance |L^-1 (x - y)|^2.
double mahalanobis2(const Matrix& l, std::size_t k, const std::vector<double>& x, const std::vector<double>& y) {
  double z[64];
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    double s = x[i] - y[i];
    for (std::size_t p = 0; p < i; ++p) s -= l[i * k + p] * z[p];
    z[i] = s / l[i * k + i];
    sum += z[i] * z[i];
  }
  return sum;
}

// Weighted mean and `factor` x the weighted covariance of `u`; `w` sums to one. (The arithmetic
// is the original global kernel's, so its calibrations are reproduced to the bit.)
void weighted_moments(const std::vector<std::vector<double>>& u, const std::vector<double>& w, std::size_t k,
                      double factor, std::vector<double>& mean, Matrix& cov) {
  mean.assign(k, 0.0);
  cov.assign(k * k, 0.0);
  for (std::size_t i = 0; i < u.size(); ++i)
    for (std::size_t p = 0; p < k; ++p) mean[p] += w[i] * u[i][p];
  for (std::size_t i = 0; i < u.size(); ++i)
    for (std::size_t p = 0; p < k; ++p)
      for (std::size_t q = 0; q < k; ++q) cov[p * k + q] += factor * w[i] * (u[i][p] - mean[p]) * (u[i][q] - mean[q]);
}

}  // namespace

PerturbationKernel::PerturbationKernel(AbcKernel kind, std::vector<std::vector<double>> particles,
                                       std::vector<double> weights, const std::vector<bool>& near, double global_scale,
                                       std::vector<double> lower, std::vector<double> upper)
    : particles_(std::move(particles)), weights_(std::move(weights)) {
  if (particles_.empty() || particles_.size() != weights_.size() || near.size() != particles_.size())
    throw Error("ABC-SMC kernel: one weight and one near flag per particle are required");
  k_ = particles_.front().size();
  if (k_ == 0 || k_ > 64) throw Error("ABC-SMC kernel: 1..64 parameters");
  if (!(global_scale > 0) || !std::isfinite(global_scale))
    throw Error("ABC-SMC kernel: the global scale must be positive");
  cumulative_.resize(weights_.size());
  std::partial_sum(weights_.begin(), weights_.end(), cumulative_.begin());

  std::vector<double> mean;
  Matrix cov;
  if (kind == AbcKernel::component) {
    component_ = true;
    constexpr double inf = std::numeric_limits<double>::infinity();
    lower_ = lower.empty() ? std::vector<double>(k_, -inf) : std::move(lower);
    upper_ = upper.empty() ? std::vector<double>(k_, inf) : std::move(upper);
    if (lower_.size() != k_ || upper_.size() != k_) throw Error("ABC-SMC kernel: one bound pair per parameter");
    weighted_moments(particles_, weights_, k_, global_scale, mean, cov);
    for (std::size_t p = 0; p < k_; ++p) {
      double sd = std::sqrt(std::max(cov[p * k_ + p], 0.0));
      if (!(sd > 0)) sd = 1e-9 * (1.0 + std::abs(mean[p]));  // a parameter every particle shares
      sd_.push_back(sd);
    }
    const boost::math::normal n01;
    for (const auto& u : particles_) {
      double log_mass = 0;
      for (std::size_t p = 0; p < k_; ++p) {
        const double a = (lower_[p] - u[p]) / sd_[p], b = (upper_[p] - u[p]) / sd_[p];
        // The mass in [a, b], from the side of the tail it lies in (no cancellation).
        const double mass = a > 0 ? boost::math::cdf(boost::math::complement(n01, a)) -
                                        boost::math::cdf(boost::math::complement(n01, b))
                                  : boost::math::cdf(n01, b) - boost::math::cdf(n01, a);
        log_mass += std::log(std::max(mass, 1e-300));
      }
      log_mass_.push_back(log_mass);
    }
    return;
  }
  if (kind == AbcKernel::global) {
    weighted_moments(particles_, weights_, k_, global_scale, mean, cov);
    factor_.push_back(cholesky(cov, k_));
  } else {
    // sum_k w~_k (u~_k - u_j)(u~_k - u_j)^T = cov~ + (mean~ - u_j)(mean~ - u_j)^T.
    std::vector<double> w(weights_.size(), 0.0);
    for (std::size_t i = 0; i < w.size(); ++i)
      if (near[i]) w[i] = weights_[i];
    const double near_weight = std::accumulate(w.begin(), w.end(), 0.0);
    if (near_weight > 0)
      for (double& x : w) x /= near_weight;
    else
      w = weights_;
    weighted_moments(particles_, w, k_, 1.0, mean, cov);
    for (const auto& u : particles_) {
      Matrix local = cov;
      for (std::size_t p = 0; p < k_; ++p)
        for (std::size_t q = 0; q < k_; ++q) local[p * k_ + q] += (mean[p] - u[p]) * (mean[q] - u[q]);
      factor_.push_back(cholesky(local, k_));
    }
  }
  for (const auto& l : factor_) {
    double log_det_l = 0;
    for (std::size_t p = 0; p < k_; ++p) log_det_l += std::log(l[p * k_ + p]);
    log_normaliser_.push_back(-0.5 * static_cast<double>(k_) * std::log(2 * std::numbers::pi) - log_det_l);
  }
}

void PerturbationKernel::propose(RandomStream& rng, std::vector<double>& u) const {
  const double x = rng.uniform() * cumulative_.back();
  const auto j = std::min(
      static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin()),
      particles_.size() - 1);
  if (component_) {
    // Each parameter from its truncated normal, by inverting the CDF on the side of its tail.
    const boost::math::normal n01;
    u.resize(k_);
    for (std::size_t p = 0; p < k_; ++p) {
      const double a = (lower_[p] - particles_[j][p]) / sd_[p], b = (upper_[p] - particles_[j][p]) / sd_[p];
      const double v = rng.uniform();
      double z = 0;
      if (a > 0) {
        const double qa = boost::math::cdf(boost::math::complement(n01, a)),
                     qb = boost::math::cdf(boost::math::complement(n01, b));
        z = boost::math::quantile(boost::math::complement(n01, std::clamp(qa - v * (qa - qb), 1e-300, 1.0)));
      } else {
        const double pa = boost::math::cdf(n01, a), pb = boost::math::cdf(n01, b);
        z = boost::math::quantile(n01, std::clamp(pa + v * (pb - pa), 1e-300, 1.0 - 1e-16));
      }
      u[p] = std::clamp(particles_[j][p] + sd_[p] * std::clamp(z, a, b), lower_[p], upper_[p]);
    }
    return;
  }
  move(factor(j), particles_[j], rng, u);
}

void PerturbationKernel::move(const Matrix& l, const std::vector<double>& from, RandomStream& rng,
                              std::vector<double>& u) const {
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  double z[64];
  for (std::size_t p = 0; p < k_; ++p) z[p] = normal(rng);
  u.resize(k_);
  for (std::size_t p = 0; p < k_; ++p) {
    u[p] = from[p];
    for (std::size_t q = 0; q <= p; ++q) u[p] += l[p * k_ + q] * z[q];
  }
}

void PerturbationKernel::walk(const std::vector<double>& from, RandomStream& rng, std::vector<double>& u) const {
  if (component_ || factor_.size() != 1 || from.size() != k_)
    throw Error("ABC-SMC kernel: a random walk needs the global kernel and a point of its dimension");
  move(factor_.front(), from, rng, u);
}

double PerturbationKernel::log_density(const std::vector<double>& u) const {
  if (component_) {
    double log_sd = 0;
    for (double s : sd_) log_sd += std::log(s);
    return relative_log_density(u) - 0.5 * static_cast<double>(k_) * std::log(2 * std::numbers::pi) - log_sd;
  }
  return log_normaliser(0) + relative_log_density(u);
}

double PerturbationKernel::relative_log_density(const std::vector<double>& u) const {
  std::vector<double> terms(particles_.size());
  if (component_) {
    for (std::size_t p = 0; p < k_; ++p)
      if (u[p] < lower_[p] || u[p] > upper_[p]) return -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < particles_.size(); ++j) {
      double q = 0;
      for (std::size_t p = 0; p < k_; ++p) {
        const double z = (u[p] - particles_[j][p]) / sd_[p];
        q += z * z;
      }
      terms[j] = std::log(weights_[j]) - 0.5 * q - log_mass_[j];
    }
    return log_sum_exp(terms);
  }
  for (std::size_t j = 0; j < particles_.size(); ++j) {
    terms[j] = std::log(weights_[j]) - 0.5 * mahalanobis2(factor(j), k_, u, particles_[j]);
    if (log_normaliser_.size() > 1) terms[j] += log_normaliser(j) - log_normaliser(0);
  }
  return log_sum_exp(terms);
}

std::vector<double> PerturbationKernel::covariance(std::size_t j) const {
  if (component_) {
    Matrix c(k_ * k_, 0.0);
    for (std::size_t p = 0; p < k_; ++p) c[p * k_ + p] = sd_[p] * sd_[p];
    return c;
  }
  const auto& l = factor(j);
  Matrix c(k_ * k_, 0.0);
  for (std::size_t p = 0; p < k_; ++p)
    for (std::size_t q = 0; q < k_; ++q)
      for (std::size_t r = 0; r <= std::min(p, q); ++r) c[p * k_ + q] += l[p * k_ + r] * l[q * k_ + r];
  return c;
}

}  // namespace iskabm
