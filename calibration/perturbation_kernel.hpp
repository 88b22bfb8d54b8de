#pragma once
// The proposal distribution of an ABC-SMC generation: a mixture of normal kernels around the
// previous population, sum_j w_j N(u; u_j, Sigma_j), in kernel space (Prior::to_kernel_space).
//   - local: the optimal local covariance matrix of Filippi et al. (2013),
//       Sigma_j = sum_k w~_k (u~_k - u_j)(u~_k - u_j)^T
//     over the previous particles u~ already within the new tolerance ("near"), weights w~
//     renormalised over them: each particle is moved toward where the next generation will lie,
//     as widely as that set is spread, plus its own distance from it;
//   - global (the default): Sigma_j = s x the weighted covariance of the whole previous population,
//     the same for every particle; s = 2 by default (Beaumont et al. 2009); the shipped default
//     calibration uses s = 1.
// A narrower kernel accepts more proposals but spreads the importance weights more: on the default
// calibration the local kernel needs 43x fewer simulations than rejection ABC but has an ESS of 15
// of 200 and overconfident posteriors; the global kernel with s = 1 needs 17.5x fewer at an ESS
// of 112, with s = 2 8.6x fewer at 121 (docs/calibration.md, "Speed").
//   - component: a product of one-dimensional normal kernels, each truncated to its parameter's
//     support, with variance s x the population's weighted variance of that parameter (Toni et
//     al. 2009's component-wise kernel, truncated): every proposal lies inside the prior's support
//     and the density is normalised exactly (products of one-dimensional normal CDFs). With 30
//     bounded parameters a full-covariance kernel at s = 2 puts fewer than one proposal in 10,000
//     inside every bound, and the engine's rejection of the others stalls (issue 18).
// The mixture density includes every kernel's normalisation (the local kernels' determinants
// differ, the truncated ones' masses too), so importance weights prior / density are right for all.
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/random_stream.hpp"

namespace iskabm {

enum class AbcKernel : std::uint8_t { local, global, component };
[[nodiscard]] std::string_view to_string(AbcKernel k) noexcept;

// log sum_i exp(v_i), without overflow; -inf for no finite term.
[[nodiscard]] double log_sum_exp(const std::vector<double>& v);

class PerturbationKernel {
 public:
  // particles: the previous population in kernel space; weights: theirs (normalised); near:
  // which of them lie within the new tolerance (used by the local kernel; all, if none does);
  // global_scale: s of the global and component kernels (unused by the local one); lower, upper:
  // the support in kernel space (the component kernel truncates to it; empty: unbounded).
  PerturbationKernel(AbcKernel kind, std::vector<std::vector<double>> particles, std::vector<double> weights,
                     const std::vector<bool>& near, double global_scale = 2.0, std::vector<double> lower = {},
                     std::vector<double> upper = {});

  // Draws a particle j by weight and moves it: u = u_j + L_j z, z standard normal.
  void propose(RandomStream& rng, std::vector<double>& u) const;
  // The global kernel's random walk from a given point: u = from + L z (the move of the mcmc
  // sampler, calibration/abc_smc.hpp). Symmetric, so a Metropolis ratio needs no kernel density.
  void walk(const std::vector<double>& from, RandomStream& rng, std::vector<double>& u) const;
  // log sum_j w_j N(u; u_j, Sigma_j), a normalised density.
  [[nodiscard]] double log_density(const std::vector<double>& u) const;
  // The same less a constant (particle 0's normalisation), all that importance weights need; for
  // the global kernel it is log sum_j w_j exp(-|L^-1 (u - u_j)|^2 / 2) exactly as computed before
  // the local kernel existed, so earlier calibrations are reproduced to the bit.
  [[nodiscard]] double relative_log_density(const std::vector<double>& u) const;

  // Sigma_j (row-major k x k), for inspection and tests.
  [[nodiscard]] std::vector<double> covariance(std::size_t j) const;

 private:
  using Matrix = std::vector<double>;  // k x k, row-major
  [[nodiscard]] const Matrix& factor(std::size_t j) const { return factor_[factor_.size() == 1 ? 0 : j]; }
  // u = from + L z, z standard normal.
  void move(const Matrix& l, const std::vector<double>& from, RandomStream& rng, std::vector<double>& u) const;
  [[nodiscard]] double log_normaliser(std::size_t j) const {
    return log_normaliser_[log_normaliser_.size() == 1 ? 0 : j];
  }

  std::size_t k_ = 0;
  std::vector<std::vector<double>> particles_;
  std::vector<double> weights_, cumulative_;
  std::vector<Matrix> factor_;          // lower Cholesky factors L_j (one, shared, for the global kernel)
  std::vector<double> log_normaliser_;  // -k/2 log(2 pi) - log det L_j
  // The component kernel: per-parameter sd, bounds, and each particle's log truncated mass.
  bool component_ = false;
  std::vector<double> sd_, lower_, upper_, log_mass_;
};

}  // namespace iskabm
