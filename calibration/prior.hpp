#pragma once
// Prior distributions of calibrated parameters: uniform, log-uniform, normal and truncated normal.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "model/random_stream.hpp"

namespace iskabm {

struct Prior {
  enum class Kind : std::uint8_t { uniform, log_uniform, normal, truncated_normal };
  Kind kind = Kind::uniform;
  double a = 0, b = 1;      // uniform / log-uniform bounds; truncation bounds of a truncated normal
  double mean = 0, sd = 1;  // (truncated) normal
  // The parameter's own range (its ParameterSpec's min and max): the density is 0 outside it
  // whatever the prior's shape, so a normal prior on a bounded parameter never yields a value the
  // model refuses. A prior draw outside is drawn again; an ABC-SMC proposal outside is rejected
  // (not drawn again: the proposals inside, and so every calibration that never left the range,
  // are unchanged).
  double valid_lower = -std::numeric_limits<double>::infinity();
  double valid_upper = std::numeric_limits<double>::infinity();

  // Log density up to a constant that does not depend on x; -inf outside the support.
  [[nodiscard]] double log_density(double x) const noexcept;
  [[nodiscard]] double sample(RandomStream& rng) const;  // inside the parameter's range
  [[nodiscard]] double lower() const noexcept;  // support of the shape (may be -inf / +inf for a normal)
  [[nodiscard]] double upper() const noexcept;
  [[nodiscard]] bool in_shape_support(double x) const noexcept { return x >= lower() && x <= upper(); }
  [[nodiscard]] bool in_range(double x) const noexcept { return x >= valid_lower && x <= valid_upper; }
  // ABC-SMC perturbs parameters in a "kernel space" where the prior is close to flat: the log of
  // a log-uniform parameter (so a kernel moves it by factors, not by absolute steps), the value
  // itself otherwise. `log_density_in_kernel_space` is the prior density of u (with the Jacobian).
  [[nodiscard]] double to_kernel_space(double x) const noexcept;
  [[nodiscard]] double from_kernel_space(double u) const noexcept;
  [[nodiscard]] double log_density_in_kernel_space(double u) const noexcept;
  // The p-quantile of the prior (of the truncated distribution for a truncated normal).
  [[nodiscard]] double quantile(double p) const;
  // The prior restricted to [lo, hi] (history matching's non-implausible box): a uniform or
  // log-uniform prior narrows, a normal one becomes truncated (an infinite side at mean +- 10 sd).
  // std::invalid_argument if nothing is left.
  [[nodiscard]] Prior truncated(double lo, double hi) const;
  [[nodiscard]] std::string describe() const;  // "uniform(0, 1)"

 private:
  [[nodiscard]] double sample_shape(RandomStream& rng) const;  // the prior's shape, ignoring the range
};

[[nodiscard]] std::string_view to_string(Prior::Kind k) noexcept;

}  // namespace iskabm
