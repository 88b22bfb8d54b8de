#pragma once
// Global sensitivity analysis (issue 18): the sampling designs and the index estimators, on the
// unit hypercube [0, 1]^k. Mapping a point to parameter values (through each parameter's prior
// or range) and running the model are the caller's business, so everything here is testable on
// analytic functions (tests/calibration/test_sensitivity_design.cpp: Ishigami, linear models).
//
// Morris (1991) elementary effects with the trajectory design of Campolongo et al. (2007):
// r trajectories of k + 1 points on a p-level grid, each step moving one factor by
// Delta = p / (2 (p - 1)); EE_i = (f(x + Delta e_i) - f(x)) / Delta (the sign of a step down is
// folded in). mu* (mean |EE|) ranks influence, sigma flags interactions or non-linearity.
//
// Sobol' indices with the Saltelli (2002) design: base matrices A and B (N x k each, the first and
// last k coordinates of a 2k-dimensional Sobol' sequence), and for each factor i the matrix A_B^i
// (A with column i from B). First-order S_i by Saltelli et al. (2010, their eq. b),
//   S_i = mean(f(B) (f(A_B^i) - f(A))) / V,
// total ST_i by Jansen (1999),
//   ST_i = mean((f(A) - f(A_B^i))^2) / (2 V),
// V the variance of f over A and B together; confidence intervals by a bootstrap over the N rows
// (deterministic: its resamples come from counter-based streams).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace iskabm::sensitivity {

// Morris: points[t * (k + 1) + j] is point j of trajectory t; moved[t * k + j - 1] is the factor
// that step j changed and step[t * k + j - 1] its signed change (+Delta or -Delta).
struct MorrisDesign {
  std::size_t factors = 0, trajectories = 0, levels = 0;
  double delta = 0;
  std::vector<std::vector<double>> points;
  std::vector<std::size_t> moved;
  std::vector<double> step;
};

// A trajectory t depends only on (seed, t), so designs of different sizes share their first
// trajectories. levels must be even and >= 2; factors and trajectories >= 1.
[[nodiscard]] MorrisDesign morris_design(std::size_t factors, std::size_t trajectories, std::size_t levels,
                                         std::uint64_t seed);

struct MorrisIndices {
  std::vector<double> mu, mu_star, sigma;  // per factor; sigma with the n - 1 denominator (0 if r = 1)
};

// outputs[j] is f at design.points[j].
[[nodiscard]] MorrisIndices morris_indices(const MorrisDesign& design, const std::vector<double>& outputs);

// Saltelli: rows of k + 2 points each, row j = [A_j, B_j, A_B^1_j, ..., A_B^k_j].
struct SaltelliDesign {
  std::size_t factors = 0, base_samples = 0;
  std::vector<std::vector<double>> points;
  [[nodiscard]] std::size_t points_per_row() const noexcept { return factors + 2; }
};

// base_samples N rows from the Sobol' sequence after its first `skip` points (Boost's sequence
// already leaves out the origin, so N a power of two gives a balanced design with skip 0);
// dimension 2 x factors must be at most the sequence's (Boost: 3667).
[[nodiscard]] SaltelliDesign saltelli_design(std::size_t factors, std::size_t base_samples, std::size_t skip = 0);

struct SobolIndices {
  double mean = 0, variance = 0;
  std::vector<double> first, total;           // per factor
  std::vector<double> first_low, first_high;  // bootstrap 95 % intervals (percentile)
  std::vector<double> total_low, total_high;
};

// outputs[j] is f at design.points[j]; `resamples` bootstrap resamples of the rows (0: none, the
// intervals then equal the estimates), drawn from streams keyed by `seed`.
[[nodiscard]] SobolIndices sobol_indices(const SaltelliDesign& design, const std::vector<double>& outputs,
                                         std::size_t resamples = 0, std::uint64_t seed = 0);

}  // namespace iskabm::sensitivity
