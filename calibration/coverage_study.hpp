#pragma once
// The synthetic-truth coverage study of a calibration: parameter vectors ("truths") are drawn
// from the priors, the model is simulated at each, and ABC-SMC is run on that output as if it
// were the observed record. A sound calibration puts each true value inside its 90 % posterior
// interval about 90 % of the time (ABC's tolerance makes intervals somewhat wide, so coverage at
// or above 90 % is expected; well below it means the posterior is overconfident or biased).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
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

// The values of truth t: one draw from each prior, from the stream (seed, t, synthetic_truth).
[[nodiscard]] std::vector<double> synthetic_truth(const std::vector<Prior>& priors, std::uint64_t seed, std::size_t t);

// Runs `truths` calibrations; truth t's "observed" statistics are the simulator's at
// (truth, generation 0xFFFFFFFF, proposal t); its ABC-SMC uses proposal seed options.seed + 1 + t
// and simulates generation g as g + (t + 1) * 2^16 (its own model random numbers).
// `on_truth` reports each finished truth (progress).
[[nodiscard]] CoverageStudy run_coverage_study(const std::vector<std::string>& keys,
                                               const std::vector<std::string>& units, const std::vector<Prior>& priors,
                                               const std::vector<double>& weights, const AbcOptions& options,
                                               const AbcSimulator& simulate, std::size_t truths,
                                               const std::function<void(const SyntheticTruth&)>& on_truth,
                                               const std::atomic<bool>* stop = nullptr);

}  // namespace iskabm
