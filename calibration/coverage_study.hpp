#pragma once
// The synthetic-truth coverage study of a calibration: parameter vectors ("truths") are drawn
// from the priors (a Latin hypercube by default, below), the model is simulated at each, and ABC-SMC is run on that output as if it
// were the observed record. A sound calibration puts each true value inside its 90 % posterior
// interval about 90 % of the time (ABC's tolerance makes intervals somewhat wide, so coverage at
// or above 90 % is expected; well below it means the posterior is overconfident or biased).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "calibration/abc_smc.hpp"
#include "calibration/posterior.hpp"

namespace iskabm {

struct SyntheticTruth {
  std::size_t index = 0;
  std::vector<double> truth;                // parameter values
  std::vector<ParameterSummary> posterior;  // of the last generation
  std::uint64_t simulations = 0;
  std::size_t generations = 0;  // complete generations of its calibration (0: it produced none)
  AbcStop stop = AbcStop::max_generations;
  [[nodiscard]] bool scored() const noexcept { return !posterior.empty(); }
  [[nodiscard]] bool covered(std::size_t p) const noexcept {
    return scored() && truth[p] >= posterior[p].q05 && truth[p] <= posterior[p].q95;
  }
};

struct CoverageStudy {
  std::vector<std::string> keys;
  std::vector<SyntheticTruth> truths;
  bool interrupted = false;
  [[nodiscard]] double coverage(std::size_t p) const;  // share of scored truths covered by the 90 % interval
  [[nodiscard]] std::size_t scored() const;
};

// How the truths are drawn. `random`: independently from the priors. `latin` (the default): a
// Latin hypercube in prior quantiles - of T truths, exactly one falls in each interval
// [i/T, (i+1)/T) of each parameter's prior CDF (Stein 1987) - still a sample from the priors,
// so the coverage it estimates is the same, but without the luck of the draw in the margins: with
// 30 independent truths a parameter whose posterior is its prior covers Bin(30, 0.9) / 30 of them
// (0.77-1.00 in 95 % of studies), with a Latin hypercube 0.87-0.93.
enum class TruthDesign : std::uint8_t { random, latin };
[[nodiscard]] std::string_view to_string(TruthDesign d) noexcept;

// The values of truth t of the random design: one draw from each prior, from the stream
// (seed, t, synthetic_truth).
[[nodiscard]] std::vector<double> synthetic_truth(const std::vector<Prior>& priors, std::uint64_t seed, std::size_t t);
// All `count` truths of a design. Latin: parameter p's truths are the prior quantiles
// (pi_p(t) + v) / count, pi_p a permutation and v uniform, from the stream (seed, p, synthetic_truth,
// day 1) - each parameter its own, so the study's truths do not depend on the parameters' order.
[[nodiscard]] std::vector<std::vector<double>> synthetic_truths(const std::vector<Prior>& priors, std::uint64_t seed,
                                                                std::size_t count, TruthDesign design);

// Runs `truths` calibrations; truth t's "observed" statistics are the simulator's at
// (truth, generation 0xFFFFFFFF, proposal t); its ABC-SMC uses proposal seed options.seed + 1 + t
// and simulates generation g as g + (t + 1) * 2^16 (its own model random numbers).
// `on_truth` reports each finished truth (progress).
[[nodiscard]] CoverageStudy run_coverage_study(const std::vector<std::string>& keys,
                                               const std::vector<std::string>& units, const std::vector<Prior>& priors,
                                               const std::vector<double>& weights, const AbcOptions& options,
                                               const AbcSimulator& simulate, std::size_t truths,
                                               const std::function<void(const SyntheticTruth&)>& on_truth,
                                               const std::atomic<bool>* stop = nullptr,
                                               TruthDesign design = TruthDesign::latin);

}  // namespace iskabm
