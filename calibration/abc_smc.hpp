#pragma once
// Approximate Bayesian computation by sequential Monte Carlo (Toni et al. 2009; Beaumont et al.
// 2009; Del Moral et al. 2012): a population of parameter vectors moves through generations of
// decreasing tolerance. Each generation:
//   - proposals are numbered 0, 1, 2, ...; proposal i of generation g draws its random numbers
//     from the stream (seed, g, i) and is simulated by the caller's (thread-safe) simulator;
//   - proposals are evaluated in parallel batches but accepted in index order, so the population
//     is the same whatever the number of threads (accepting the first to *finish* would bias it
//     toward fast simulations);
//   - a proposal is a particle of the previous population, drawn by weight and moved by a normal
//     kernel (calibration/perturbation_kernel.hpp): by default twice the population's covariance
//     (Beaumont et al. 2009; kernel_scale sets the factor), or the optimal local covariance of
//     Filippi et al. (2013).
//     Importance weights are prior / sum_j w_j K_j(theta | theta_j); kernel, covariance and
//     weights work in each prior's kernel space (the log of log-uniform parameters,
//     Prior::to_kernel_space);
//   - distances are weighted Euclidean on statistics scaled by their median absolute deviation
//     in the previous generation (adaptive, so no statistic dominates by its units); the next
//     tolerance is a quantile of the accepted distances under the new scales.
// The `mcmc` sampler (Drovandi & Pettitt 2011's replenishment ABC-SMC; Del Moral et al. 2012)
// replaces the importance step: of the previous population, the particles within the new
// tolerance survive unchanged; the others are replaced by copies of survivors (drawn uniformly),
// each then moved by R Metropolis-Hastings steps whose target is the ABC posterior at the new
// tolerance: a random walk u' = u + L z in kernel space with L L^T = kernel_scale x 2.38^2 / k x the
// survivors' covariance (Roberts & Rosenthal 2001's scaling), accepted with probability
// min(1, prior(u') / prior(u)) x [distance(u') <= tolerance]. A pilot step of all copies measures
// the move acceptance p; R = ceil(log 0.01 / log(1 - p)) steps in all, so that each copy moves at
// least once with probability 0.99 (`moves` x R steps: more rounds decorrelate the copies from the
// survivors they copy, at that many times the simulations). Moving once is not forgetting where a
// copy started: each copy's accepted jumps are summed as squared distances in units of the
// survivors' standard deviation of each parameter (in kernel space), averaged over the k parameters
// (two independent draws of the population lie 2 apart in expectation), and with `min_jump` > 0
// further steps follow until the median copy has reached min_jump (at most 20 x R steps in all; the
// simulation budget and the wall clock still stop a generation). A generation's `median_jump`
// records it. If the pilot's p is below
// min_acceptance, further pilot steps follow until the copies have made 4n attempts (n the
// population), and the generation stops only if p over all of them is still below it (as the
// importance sampler, which stops on acceptance only after 4n proposals): one step of ~n/2 copies
// accepts one or two moves at p = 0.01, too few to stop a calibration on. Weights stay equal (1/n): no importance weights, so none to
// degenerate as they do in 30 or more dimensions; a generation's `ess` is then its number of
// distinct particles and its acceptance rate that of the moves. Move proposal r x n + j of
// generation g is copy j's step r, simulated with (g, r x n + j).
// Stopping: final tolerance reached (checked between generations), acceptance rate below a
// minimum, a simulation budget or a wall-clock limit (checked inside a generation, which is then
// abandoned).
// Everything a generation needs to resume is in its Generation record.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calibration/perturbation_kernel.hpp"
#include "calibration/prior.hpp"

namespace iskabm {

enum class AbcSampler : std::uint8_t { importance, mcmc };
[[nodiscard]] std::string_view to_string(AbcSampler s) noexcept;

struct AbcOptions {
  std::size_t population = 200;
  double tolerance_quantile = 0.5;  // next tolerance: this quantile of accepted distances
  double final_tolerance = 0.0;     // stop once a generation reaches it
  double min_acceptance = 0.005;    // stop when a generation's acceptance rate falls below it
  std::uint64_t max_simulations = 10'000'000;
  double max_seconds = 0;  // 0: no limit
  std::size_t max_generations = 30;
  std::uint64_t seed = 1;
  int threads = 0;                       // 0: all cores
  std::size_t batch = 0;                 // proposals per parallel batch; 0: 64 (fixed: part of the result)
  AbcSampler sampler = AbcSampler::importance;  // mcmc: replenishment with Metropolis moves (above)
  AbcKernel kernel = AbcKernel::global;  // importance sampler: see calibration/perturbation_kernel.hpp and docs/calibration.md
  double kernel_scale = 2.0;             // global kernel: this x the population covariance (mcmc: x 2.38^2 / k)
  std::size_t moves = 1;                 // mcmc: rounds of R steps for the copies (see above)
  double min_jump = 0;                   // mcmc: steps go on until the median copy has jumped this far (see above)
  bool rejection = false;                // plain rejection ABC from the prior at final_tolerance
  std::vector<double> fixed_scales;      // rejection mode (or tests): use these statistic scales
  // Generation 0 from these parameter vectors instead of the prior (proposal i takes row
  // i mod size): a history match's non-implausible points, which are prior draws restricted to
  // its non-implausible region. Later generations weight by the prior as always.
  std::vector<std::vector<double>> initial_population;
};

struct Generation {
  std::size_t index = 0;
  double tolerance = 0;                         // distances accepted into this generation were <= it
  std::vector<std::vector<double>> theta;       // accepted parameter vectors
  std::vector<double> weight;                   // normalised importance weights
  std::vector<double> distance;                 // under `scales`
  std::vector<std::vector<double>> statistics;  // of the accepted particles
  std::vector<double> scales;                   // statistic scales used for `distance`
  std::uint64_t simulations = 0;                // proposals needed (index of the last accepted + 1)
  std::uint64_t simulations_total = 0;          // cumulative over generations
  double acceptance_rate = 0;
  double ess = 0;                               // importance sampler: 1 / sum w^2; mcmc: distinct particles
  double median_jump = 0;                       // mcmc: the copies' median squared jump per parameter (see above)
  double seconds = 0;
};

enum class AbcStop : std::uint8_t {
  final_tolerance,
  min_acceptance,
  max_simulations,
  wall_clock,
  max_generations,
  interrupted
};
[[nodiscard]] std::string_view to_string(AbcStop s) noexcept;

// Summary statistics for theta; must be deterministic in (theta, generation, proposal).
using AbcSimulator = std::function<std::vector<double>(const std::vector<double>& theta, std::uint64_t generation,
                                                       std::uint64_t proposal)>;

// Optional: simulates a whole batch elsewhere (e.g. on MPI worker ranks, calibration/mpi_workers).
// thetas[i] is proposal first_proposal + i of `generation`; an empty theta is a proposal that
// could not be drawn and must yield empty statistics. Returns one statistics vector per theta, each
// exactly what the AbcSimulator would return for (theta, generation, proposal), so the result is
// the same as without it. It may return fewer rows than thetas only once the stop flag passed to
// AbcSmc::run is set (the batch was dropped): the run then ends as interrupted.
using AbcBatchSimulator = std::function<std::vector<std::vector<double>>(
    std::uint64_t generation, std::uint64_t first_proposal, const std::vector<std::vector<double>>& thetas)>;

// Progress within a generation, called from the sampling loop after each batch: `done` of `total`
// units (accepted particles; for Metropolis moves, moves made of those planned) and the
// simulations the generation has used so far. For a progress display only: it changes nothing.
using AbcProgress = std::function<void(std::size_t generation, std::uint64_t done, std::uint64_t total,
                                       std::uint64_t simulations)>;

struct AbcResult {
  std::vector<Generation> generations;  // complete ones
  AbcStop stop = AbcStop::max_generations;
};

class AbcSmc {
 public:
  AbcSmc(std::vector<Prior> priors, std::vector<double> observed, std::vector<double> statistic_weights,
         AbcOptions options, AbcSimulator simulator, AbcBatchSimulator batch_simulator = {});

  // Runs from scratch, or continues after `resume_from` (the last complete generation of an
  // interrupted run). `on_generation` is called after each complete generation (checkpoints).
  AbcResult run(const std::function<void(const Generation&)>& on_generation, const std::atomic<bool>* stop = nullptr,
                const std::vector<Generation>& resume_from = {});

  [[nodiscard]] double distance(const std::vector<double>& statistics, const std::vector<double>& scales) const;

  // Progress within each generation (calibrate's bar on a terminal, its periodic lines otherwise).
  void on_progress(AbcProgress progress) { progress_ = std::move(progress); }

 private:
  AbcProgress progress_;
  std::vector<Prior> priors_;
  std::vector<double> observed_, weights_;
  AbcOptions o_;
  AbcSimulator simulate_;
  AbcBatchSimulator simulate_batch_;  // empty: simulate_ in a oneTBB parallel_for
};

// Median absolute deviation (x 1.4826) of each statistic over `rows`; 1 where it is 0 or undefined.
[[nodiscard]] std::vector<double> mad_scales(const std::vector<std::vector<double>>& rows);
[[nodiscard]] double effective_sample_size(const std::vector<double>& normalised_weights);

}  // namespace iskabm
