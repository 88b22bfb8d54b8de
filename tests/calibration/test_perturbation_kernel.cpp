// The ABC-SMC proposal mixture (calibration/perturbation_kernel): its covariances follow their
// definitions, its density is normalised (the importance weights divide by it), and its samples
// follow that density.
#include <catch2/catch.hpp>

#include <cmath>

#include "calibration/perturbation_kernel.hpp"

using namespace iskabm;

namespace {

// Three particles on a line, equal weights; the first two are within the new tolerance.
PerturbationKernel line(AbcKernel kind, double global_scale = 2.0) {
  return PerturbationKernel(kind, {{0.0}, {1.0}, {3.0}}, {1.0 / 3, 1.0 / 3, 1.0 / 3}, {true, true, false},
                            global_scale);
}

// Particles in the plane with unequal weights, a correlated cloud and one far outlier.
PerturbationKernel plane(AbcKernel kind) {
  return PerturbationKernel(kind, {{0.0, 0.0}, {0.5, 0.4}, {1.0, 0.7}, {-0.3, -0.1}, {4.0, -2.0}},
                            {0.3, 0.25, 0.2, 0.15, 0.1}, {true, true, true, true, false});
}

}  // namespace

TEST_CASE("perturbation kernel: covariances as defined", "[calibration][kernel]") {
  // Global: 2 x the weighted variance of {0, 1, 3} (mean 4/3, variance 14/9), for every particle.
  const auto global = line(AbcKernel::global);
  for (std::size_t j = 0; j < 3; ++j) CHECK(global.covariance(j)[0] == Approx(28.0 / 9));
  // kernel_scale s: s x that variance (the shipped default calibration uses s = 1).
  CHECK(line(AbcKernel::global, 1.0).covariance(1)[0] == Approx(14.0 / 9));
  CHECK(line(AbcKernel::global, 0.5).covariance(2)[0] == Approx(7.0 / 9));
  CHECK_THROWS(line(AbcKernel::global, 0.0));
  // Local (Filippi et al. 2013): the near particles {0, 1} have mean 0.5 and variance 0.25, so
  // Sigma_j = 0.25 + (0.5 - u_j)^2.
  const auto local = line(AbcKernel::local);
  CHECK(local.covariance(0)[0] == Approx(0.5));
  CHECK(local.covariance(1)[0] == Approx(0.5));
  CHECK(local.covariance(2)[0] == Approx(6.5));
  // With no particle near, the whole population stands in.
  const PerturbationKernel none(AbcKernel::local, {{0.0}, {2.0}}, {0.5, 0.5}, {false, false});
  CHECK(none.covariance(0)[0] == Approx(1.0 + 1.0));
  // In two dimensions Sigma_j is the near set's covariance plus the outer product of u_j's offset.
  const auto p = plane(AbcKernel::local);
  const auto c4 = p.covariance(4);
  CHECK(c4[1] == Approx(c4[2]));           // symmetric
  CHECK(c4[1] < 0);                        // the outlier lies down and to the right
  CHECK(c4[0] > p.covariance(0)[0] + 10);  // and far: a wide kernel
}

TEST_CASE("perturbation kernel: the mixture density integrates to one", "[calibration][kernel]") {
  const auto kind = GENERATE(AbcKernel::local, AbcKernel::global);
  INFO("kernel " << to_string(kind));
  {
    const auto k = line(kind, 0.7);
    double sum = 0;
    const double h = 0.01;
    for (double x = -30; x <= 30; x += h) sum += std::exp(k.log_density({x})) * h;
    CHECK(sum == Approx(1.0).epsilon(1e-4));
  }
  {
    const auto k = plane(kind);
    double sum = 0;
    const double h = 0.02;
    for (double x = -25; x <= 25; x += h)
      for (double y = -25; y <= 25; y += h) sum += std::exp(k.log_density({x, y})) * h * h;
    CHECK(sum == Approx(1.0).epsilon(1e-3));
    // The relative density (what importance weights use) is the same less one constant.
    const double c = k.log_density({0.2, 0.1}) - k.relative_log_density({0.2, 0.1});
    CHECK(k.log_density({3.0, -1.0}) - k.relative_log_density({3.0, -1.0}) == Approx(c));
    CHECK(k.log_density({-2.0, 4.0}) - k.relative_log_density({-2.0, 4.0}) == Approx(c));
  }
}

TEST_CASE("perturbation kernel: proposals follow the mixture density", "[calibration][kernel]") {
  const auto kind = GENERATE(AbcKernel::local, AbcKernel::global);
  INFO("kernel " << to_string(kind));
  const auto k = plane(kind);
  const std::vector<std::vector<double>> u{{0.0, 0.0}, {0.5, 0.4}, {1.0, 0.7}, {-0.3, -0.1}, {4.0, -2.0}};
  const std::vector<double> w{0.3, 0.25, 0.2, 0.15, 0.1};
  // Exact moments of the mixture: E[x] = sum w_j u_j, E[x x'] = sum w_j (Sigma_j + u_j u_j').
  double m[2] = {0, 0}, s[4] = {0, 0, 0, 0};
  for (std::size_t j = 0; j < u.size(); ++j) {
    const auto c = k.covariance(j);
    for (std::size_t p = 0; p < 2; ++p) {
      m[p] += w[j] * u[j][p];
      for (std::size_t q = 0; q < 2; ++q) s[p * 2 + q] += w[j] * (c[p * 2 + q] + u[j][p] * u[j][q]);
    }
  }
  const int draws = 200000;
  double em[2] = {0, 0}, es[4] = {0, 0, 0, 0};
  // Share of draws in a box against the density's integral over it.
  double in_box = 0;
  std::vector<double> x;
  for (int i = 0; i < draws; ++i) {
    RandomStream rng(4, 0, Purpose::abc_proposal, 0, static_cast<std::uint64_t>(i));
    k.propose(rng, x);
    for (std::size_t p = 0; p < 2; ++p) {
      em[p] += x[p] / draws;
      for (std::size_t q = 0; q < 2; ++q) es[p * 2 + q] += x[p] * x[q] / draws;
    }
    if (x[0] > 0 && x[0] < 1 && x[1] > 0 && x[1] < 1) in_box += 1.0 / draws;
  }
  double box = 0;
  const double h = 0.005;
  for (double a = h / 2; a < 1; a += h)
    for (double b = h / 2; b < 1; b += h) box += std::exp(k.log_density({a, b})) * h * h;
  for (std::size_t p = 0; p < 2; ++p) CHECK(em[p] == Approx(m[p]).margin(0.03));
  for (std::size_t p = 0; p < 4; ++p) CHECK(es[p] == Approx(s[p]).epsilon(0.03).margin(0.03));
  CHECK(in_box == Approx(box).epsilon(0.03));
}

TEST_CASE("abc kernel: the component kernel keeps to the support and its density is normalised there",
          "[calibration][abc][kernel]") {
  // Two parameters on [0, 1] x [-inf, inf); particles near a bound, weights uneven.
  const std::vector<std::vector<double>> particles{{0.05, 0.0}, {0.5, 1.0}, {0.97, -2.0}};
  const std::vector<double> weights{0.5, 0.3, 0.2};
  constexpr double inf = std::numeric_limits<double>::infinity();
  const PerturbationKernel kernel(AbcKernel::component, particles, weights, {true, true, true}, 2.0, {0.0, -inf},
                                  {1.0, inf});
  // The density integrates to 1 over the support (midpoint rule on a fine grid).
  double integral = 0;
  const int nx = 400, ny = 800;
  const double ylo = -12, yhi = 10, dx = 1.0 / nx, dy = (yhi - ylo) / ny;
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) integral += std::exp(kernel.log_density({(i + 0.5) * dx, ylo + (j + 0.5) * dy})) * dx * dy;
  CHECK(integral == Approx(1.0).epsilon(0.01));
  CHECK(std::isinf(kernel.log_density({-0.01, 0.0})));
  CHECK(std::isinf(kernel.log_density({1.01, 0.0})));
  // Proposals: always inside; their first coordinate's histogram matches the marginal density.
  RandomStream rng(3, 0, Purpose::abc_proposal, 0, 0);
  std::vector<double> u;
  std::vector<int> bins(10, 0);
  constexpr int draws = 40000;
  for (int i = 0; i < draws; ++i) {
    kernel.propose(rng, u);
    REQUIRE(u[0] >= 0);
    REQUIRE(u[0] <= 1);
    ++bins[std::min(9, static_cast<int>(u[0] * 10))];
  }
  for (int b = 0; b < 10; ++b) {
    double mass = 0;  // the marginal mass of bin b
    for (int i = b * 40; i < (b + 1) * 40; ++i)
      for (int j = 0; j < ny; ++j) mass += std::exp(kernel.log_density({(i + 0.5) * dx, ylo + (j + 0.5) * dy})) * dx * dy;
    INFO("bin " << b);
    CHECK(static_cast<double>(bins[b]) / draws == Approx(mass).margin(0.01));
  }
  // Variance per parameter: s x the population's weighted variance.
  const double mean = 0.5 * 0.05 + 0.3 * 0.5 + 0.2 * 0.97;
  const double var = 0.5 * (0.05 - mean) * (0.05 - mean) + 0.3 * (0.5 - mean) * (0.5 - mean) + 0.2 * (0.97 - mean) * (0.97 - mean);
  CHECK(kernel.covariance(0)[0] == Approx(2.0 * var));
  CHECK(kernel.covariance(0)[1] == 0);
}
