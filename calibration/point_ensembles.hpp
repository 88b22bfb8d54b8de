#pragma once
// Ensembles of model replicates at a list of parameter points, simulated in parallel (oneTBB) into
// fixed slots, so the result does not depend on the thread count: the sensitivity study averages
// them, history matching also needs their spread. Replicate m of point j is the simulator's
// (generation, stream(j, m)) — the caller chooses whether points share random numbers.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "calibration/abc_smc.hpp"

namespace iskabm {

struct PointEnsemble {
  // Per statistic, over the replicates where the statistic is defined (finite): their mean, their
  // variance (n - 1 denominator; NaN with fewer than 2) and how many there were. The mean is NaN
  // where no replicate defines the statistic.
  std::vector<double> mean, variance;
  std::vector<std::uint32_t> defined;
};

// Simulates runs elsewhere (e.g. on MPI worker ranks: mpi::Master::simulate): thetas[i] is run as
// proposal proposals[i] of `generation`, exactly as the simulator would. Returns one statistics
// vector per theta, or fewer once a stop was requested (the batch is dropped).
using RunBatchSimulator = std::function<std::vector<std::vector<double>>(
    std::uint64_t generation, const std::vector<std::uint64_t>& proposals, const std::vector<std::vector<double>>& thetas)>;

struct PointEnsembleOptions {
  std::size_t replicates = 1;
  std::uint64_t generation = 0;  // passed to the simulator
  // The simulator's proposal number of replicate m at point j: m itself (common random numbers
  // across points, as the sensitivity study uses them) or j * replicates + m (independent).
  bool common_random_numbers = true;
  std::size_t first_index = 0;  // the index j of points[0] (a list that continues an earlier one)
  int threads = 0;              // 0: all cores
  RunBatchSimulator batch;      // empty: the simulator, in a oneTBB parallel_for
  std::size_t batch_points = 0;  // points per batch (progress, stop checks); 0: 4 x threads, at least 16
};

// Simulates every point; `on_progress(done, total)` after each batch of points, `on_batch(first,
// ensembles)` with the batch's ensembles (checkpoints). Returns fewer ensembles than points only if
// `stop` was set (between batches, or inside one with a batch simulator).
[[nodiscard]] std::vector<PointEnsemble> simulate_point_ensembles(
    const std::vector<std::vector<double>>& points, const PointEnsembleOptions& options, const AbcSimulator& simulate,
    const std::function<void(std::size_t, std::size_t)>& on_progress = {}, const std::atomic<bool>* stop = nullptr,
    const std::function<void(std::size_t, const std::vector<PointEnsemble>&)>& on_batch = {});

}  // namespace iskabm
